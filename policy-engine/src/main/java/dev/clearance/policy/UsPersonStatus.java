package dev.clearance.policy;

/** US-person status under 15 CFR 772.1, as derived by identity-service from verified evidence. */
public enum UsPersonStatus {
    /** No valid verified evidence. Directives treat it as matching (fail closed). */
    UNKNOWN,
    US_CITIZEN,
    LAWFUL_PERMANENT_RESIDENT,
    /** Refugee or asylee. */
    PROTECTED_INDIVIDUAL,
    FOREIGN_PERSON;

    public boolean isUsPerson() {
        return this == US_CITIZEN || this == LAWFUL_PERMANENT_RESIDENT || this == PROTECTED_INDIVIDUAL;
    }
}
