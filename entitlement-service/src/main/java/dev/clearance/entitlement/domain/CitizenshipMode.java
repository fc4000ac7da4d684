package dev.clearance.entitlement.domain;

/** Which citizenship a NATIONALS_OF directive looks at. */
public enum CitizenshipMode {
    /** The most recent citizenship or permanent residency (EAR). */
    MOST_RECENT,
    /** Any citizenship held (ITAR-style). */
    ANY
}
