package dev.clearance.policy;

/** Result of denied-party screening of a person or their organisation. */
public enum ScreeningStatus {
    CLEAR,
    /** Unreviewed possible match: refused controlled models until an officer clears it. */
    POTENTIAL_MATCH,
    /** Confirmed match: refused everything. */
    CONFIRMED_MATCH
}
