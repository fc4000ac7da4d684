package dev.clearance.policy;

/** The requested model name cannot be a model name at all (maps to INVALID_ARGUMENT). */
public final class InvalidModelNameException extends RuntimeException {
    public InvalidModelNameException(String message) {
        super(message, null, false, false);
    }
}
