package dev.clearance.sdk;

/** The outcome of one access decision. */
public enum Outcome {
    /** The requested model serves. */
    ALLOW,
    /** Refused; nothing serves. */
    DENY,
    /** The requested model was refused; an older version of the same family serves. */
    ALLOW_FALLBACK,
    /** A value this SDK version does not know (a newer router). */
    UNKNOWN
}
