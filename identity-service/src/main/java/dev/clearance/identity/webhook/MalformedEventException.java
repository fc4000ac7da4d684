package dev.clearance.identity.webhook;

/** A signed body that is not JSON, or lacks the envelope fields (event id, type): HTTP 400. */
public class MalformedEventException extends RuntimeException {

    public MalformedEventException(String message) {
        super(message);
    }
}
