package dev.clearance.identity.domain;

import java.util.EnumSet;
import java.util.Set;

/**
 * The document a piece of evidence rests on, and what such a document can establish. A
 * citizenship document establishes citizenship of its issuing country and says nothing about US
 * immigration status; an immigration document is issued by the US, establishes a status of its
 * kind and may show the holder's nationality.
 */
public enum DocumentClass {
    PASSPORT(true, false, EnumSet.of(ImmigrationStatus.NONE)),
    /** Only the US issues passport cards. */
    PASSPORT_CARD(true, true, EnumSet.of(ImmigrationStatus.NONE)),
    CERTIFICATE_OF_NATURALISATION_OR_CITIZENSHIP(true, false, EnumSet.of(ImmigrationStatus.NONE)),
    /** Form I-551. */
    PERMANENT_RESIDENT_CARD(false, true, EnumSet.of(ImmigrationStatus.LAWFUL_PERMANENT_RESIDENT)),
    /** Form I-571, issued to refugees and asylees. */
    REFUGEE_TRAVEL_DOCUMENT(false, true, EnumSet.of(ImmigrationStatus.REFUGEE, ImmigrationStatus.ASYLEE)),
    VISA(false, true, EnumSet.of(ImmigrationStatus.H1B, ImmigrationStatus.STUDENT, ImmigrationStatus.OTHER_NONIMMIGRANT)),
    /** Form I-766; its category code tells the status. */
    EMPLOYMENT_AUTHORISATION_DOCUMENT(false, true, EnumSet.of(ImmigrationStatus.REFUGEE, ImmigrationStatus.ASYLEE,
            ImmigrationStatus.ADJUSTMENT_PENDING, ImmigrationStatus.H1B, ImmigrationStatus.STUDENT,
            ImmigrationStatus.OTHER_NONIMMIGRANT));

    private final boolean establishesCitizenship;
    private final boolean issuedByUsOnly;
    private final Set<ImmigrationStatus> immigrationStatuses;

    DocumentClass(boolean establishesCitizenship, boolean issuedByUsOnly, Set<ImmigrationStatus> immigrationStatuses) {
        this.establishesCitizenship = establishesCitizenship;
        this.issuedByUsOnly = issuedByUsOnly;
        this.immigrationStatuses = immigrationStatuses;
    }

    /** Establishes citizenship of the issuing country (and nothing about immigration status). */
    public boolean establishesCitizenship() {
        return establishesCitizenship;
    }

    /** Establishes a US immigration status. */
    public boolean establishesImmigrationStatus() {
        return !establishesCitizenship;
    }

    public boolean issuedByUsOnly() {
        return issuedByUsOnly;
    }

    /** The immigration statuses this document can establish (NONE for citizenship documents). */
    public Set<ImmigrationStatus> immigrationStatuses() {
        return immigrationStatuses;
    }

    /** The status recorded when the evidence does not state one: the only one possible, or null. */
    public ImmigrationStatus defaultImmigrationStatus() {
        return immigrationStatuses.size() == 1 ? immigrationStatuses.iterator().next() : null;
    }
}
