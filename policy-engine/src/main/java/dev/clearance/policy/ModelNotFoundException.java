package dev.clearance.policy;

/** The normalised name is neither a version nor an alias in the snapshot (maps to NOT_FOUND). */
public final class ModelNotFoundException extends RuntimeException {
    private final String model;

    public ModelNotFoundException(String model) {
        super("model '" + model + "' is not in the catalogue", null, false, false);
        this.model = model;
    }

    public String model() {
        return model;
    }
}
