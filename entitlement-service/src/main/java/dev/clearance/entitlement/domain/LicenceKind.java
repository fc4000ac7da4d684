package dev.clearance.entitlement.domain;

public enum LicenceKind {
    /** A BIS licence. */
    LICENCE,
    /** A licence exception (15 CFR 740). */
    LICENCE_EXCEPTION
}
