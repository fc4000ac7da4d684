package dev.clearance.entitlement.domain;

/** Whom a directive applies to. */
public enum SubjectKind {
    FOREIGN_PERSONS, NON_CITIZENS, NATIONALS_OF
}
