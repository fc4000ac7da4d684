package dev.clearance.identity.webhook;

import dev.clearance.identity.domain.AssuranceLevel;
import dev.clearance.identity.domain.Citizenship;
import dev.clearance.identity.domain.DocumentClass;
import dev.clearance.identity.domain.ImmigrationStatus;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * One document check as a vendor reported it, in our terms.
 *
 * @param personReference  the vendor's reference field, expected to be {@code persons/{id}}; null when absent
 * @param reportId         the vendor's id of this result (Persona verification, Stripe report, Onfido report)
 * @param vendorDocument   the vendor's own name for the document type, for messages
 * @param documentClass    null when the document establishes no citizenship or US immigration status
 *                         (a driving licence, a foreign residence permit): nothing is recorded for it
 * @param issuingCountry   ISO alpha-2; null when the vendor did not say
 * @param citizenships     what the document establishes or shows
 * @param documentExpiry   the document's expiry date; null when the vendor did not say
 * @param passed           the vendor verified the document (and the person behind it)
 * @param outcome          the vendor's words for the result, kept as the reason of the state change
 */
public record VendorResult(String personReference, String reportId, String vendorDocument, DocumentClass documentClass,
                           String issuingCountry, List<Citizenship> citizenships, ImmigrationStatus immigrationStatus,
                           AssuranceLevel assuranceLevel, Instant verifyTime, LocalDate documentExpiry, boolean passed,
                           String outcome) {

    public VendorResult {
        citizenships = List.copyOf(citizenships);
    }
}
