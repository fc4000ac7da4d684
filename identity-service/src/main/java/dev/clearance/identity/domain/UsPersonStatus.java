package dev.clearance.identity.domain;

/** US-person status under 15 CFR 772.1, derived from evidence only. */
public enum UsPersonStatus {
    /** No current verified evidence. Every directive treats it as matching (fail closed). */
    UNKNOWN,
    US_CITIZEN,
    LAWFUL_PERMANENT_RESIDENT,
    /** Refugee or asylee, 8 U.S.C. 1324b(a)(3). */
    PROTECTED_INDIVIDUAL,
    FOREIGN_PERSON;

    public boolean isUsPerson() {
        return this == US_CITIZEN || this == LAWFUL_PERMANENT_RESIDENT || this == PROTECTED_INDIVIDUAL;
    }
}
