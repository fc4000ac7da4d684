package dev.clearance.identity.domain;

/** Denied-party screening status of a person or organisation, in increasing severity. */
public enum ScreeningStatus {
    CLEAR,
    /** An automated hit not yet reviewed: controlled models are denied. */
    POTENTIAL_MATCH,
    /** An officer confirmed the hit: everything is denied. */
    CONFIRMED_MATCH;

    public ScreeningStatus worst(ScreeningStatus other) {
        return other != null && other.ordinal() > ordinal() ? other : this;
    }
}
