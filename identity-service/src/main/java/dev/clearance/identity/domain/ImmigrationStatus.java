package dev.clearance.identity.domain;

/** US immigration status as established by a verification. */
public enum ImmigrationStatus {
    /** No US immigration status on record (a citizen, or a person abroad). */
    NONE,
    LAWFUL_PERMANENT_RESIDENT,
    REFUGEE,
    ASYLEE,
    H1B,
    STUDENT,
    /** Form I-485 filed, not granted: not a permanent resident. */
    ADJUSTMENT_PENDING,
    OTHER_NONIMMIGRANT
}
