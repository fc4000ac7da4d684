package dev.clearance.entitlement.domain;

/**
 * The verified operator of a directive step. The two-person rule compares {@code subject} (stable
 * and unique in the realm); {@code actor} ({@code username (subject)}) is what transitions and the
 * change log record. Logs name the subject only: usernames are personal data.
 */
public record Officer(String subject, String actor) {

    /** Subject and actor of a call without an operator (never one that may write). */
    public static final String UNKNOWN = "unknown";
}
