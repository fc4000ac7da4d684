package dev.clearance.entitlement.domain;

/** What a directive subject row names. */
public enum SubjectCodeKind {
    /** ISO 3166-1 alpha-2. */
    COUNTRY,
    /** EAR country group such as {@code D:5}. */
    COUNTRY_GROUP
}
