package dev.clearance.identity.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Evidence to record, validated: from an officer through the API or from a vendor's webhook.
 *
 * @param documentClass  null: a whole-person statement
 * @param expireTime     may be null only for rejected evidence
 * @param vendor         set exactly when the method is VENDOR
 * @param actor          who records it: an officer's name, {@code vendor:<id>}
 * @param reason         why; may be empty
 */
public record NewEvidence(DocumentClass documentClass, String issuingCountry, List<Citizenship> citizenships,
                          ImmigrationStatus immigrationStatus, AssuranceLevel assuranceLevel, Instant verifyTime,
                          Instant expireTime, String evidenceReference, VerificationMethod method, KycVendor vendor,
                          String vendorReportId, VerificationState state, String actor, String reason) {

    public NewEvidence {
        citizenships = List.copyOf(citizenships);
        Objects.requireNonNull(immigrationStatus);
        Objects.requireNonNull(assuranceLevel);
        Objects.requireNonNull(verifyTime);
        Objects.requireNonNull(method);
        Objects.requireNonNull(state);
        Objects.requireNonNull(actor);
        Objects.requireNonNull(reason);
        if ((method == VerificationMethod.VENDOR) != (vendor != null)) {
            throw new IllegalArgumentException("a vendor is named exactly for vendor evidence");
        }
        if (state != VerificationState.VERIFIED && state != VerificationState.REJECTED) {
            throw new IllegalArgumentException("evidence is recorded verified or rejected, not " + state);
        }
    }
}
