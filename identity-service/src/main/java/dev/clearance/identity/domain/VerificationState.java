package dev.clearance.identity.domain;

/**
 * Lifecycle of a piece of evidence. Evidence is never deleted; it only changes state, and every
 * change is kept with actor, time and reason.
 */
public enum VerificationState {
    VERIFIED,
    /** The check failed. Kept for the record, never counted. */
    REJECTED,
    /** Was verified; its expire time has passed. */
    EXPIRED,
    /** Withdrawn by an officer or the vendor. Final. */
    REVOKED
}
