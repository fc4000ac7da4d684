package dev.clearance.policy;

public enum Outcome {
    ALLOW,
    DENY,
    /** The requested version was refused; an older version of the same family serves. */
    ALLOW_FALLBACK
}
