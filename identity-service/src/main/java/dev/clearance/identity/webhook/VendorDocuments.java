package dev.clearance.identity.webhook;

import dev.clearance.identity.domain.AssuranceLevel;
import dev.clearance.identity.domain.Citizenship;
import dev.clearance.identity.domain.DocumentClass;
import dev.clearance.identity.domain.ImmigrationStatus;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** Turns a vendor's document check into a {@link VendorResult} with the same document rules the API applies. */
final class VendorDocuments {

    private VendorDocuments() {
    }

    /**
     * @param candidate   our class for the vendor's document type, null when we have none
     * @param nationality alpha-2 nationality the document shows (immigration documents); may be null
     */
    static VendorResult result(String personReference, String reportId, String vendorDocument, DocumentClass candidate,
                               String issuingCountry, String nationality, boolean selfieMatched, Instant verifyTime,
                               LocalDate documentExpiry, boolean passed, String outcome) {
        DocumentClass documentClass = candidate;
        if (candidate != null && issuingCountry == null) {
            documentClass = null;
        } else if (candidate != null && candidate.issuedByUsOnly() && !"US".equals(issuingCountry)) {
            // A residence permit or visa of another country says nothing about US status.
            documentClass = null;
        }
        List<Citizenship> citizenships = List.of();
        ImmigrationStatus immigration = ImmigrationStatus.NONE;
        if (documentClass != null) {
            if (documentClass.establishesCitizenship()) {
                citizenships = List.of(Citizenship.fromBirth(issuingCountry));
            } else {
                if (nationality != null && !"US".equals(nationality)) {
                    citizenships = List.of(Citizenship.fromBirth(nationality));
                }
                immigration = immigrationStatusOf(documentClass);
            }
        }
        // Remote document checks reach IAL2 only with a biometric match to the holder (NIST SP 800-63A).
        AssuranceLevel assurance = selfieMatched ? AssuranceLevel.IAL2 : AssuranceLevel.IAL1;
        return new VendorResult(personReference, reportId, vendorDocument, documentClass, issuingCountry, citizenships,
                immigration, assurance, verifyTime, documentExpiry, passed, outcome);
    }

    /**
     * What a vendor-checked document establishes. Vendors do not report a visa's class or an
     * EAD's category, so both read as a nonimmigrant status (a foreign person): the fail-closed
     * reading. An officer can attest the precise status.
     */
    private static ImmigrationStatus immigrationStatusOf(DocumentClass documentClass) {
        return switch (documentClass) {
            case PERMANENT_RESIDENT_CARD -> ImmigrationStatus.LAWFUL_PERMANENT_RESIDENT;
            case REFUGEE_TRAVEL_DOCUMENT -> ImmigrationStatus.REFUGEE;
            case VISA, EMPLOYMENT_AUTHORISATION_DOCUMENT -> ImmigrationStatus.OTHER_NONIMMIGRANT;
            case PASSPORT, PASSPORT_CARD, CERTIFICATE_OF_NATURALISATION_OR_CITIZENSHIP -> ImmigrationStatus.NONE;
        };
    }
}
