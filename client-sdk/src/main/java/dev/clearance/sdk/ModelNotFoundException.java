package dev.clearance.sdk;

/** NOT_FOUND: the model name (after normalisation and alias resolution) is not in the catalogue. */
public class ModelNotFoundException extends ClearanceException {

    ModelNotFoundException(Details d) {
        super(d);
    }
}
