package dev.clearance.identity.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A person's US-person status as derived from their evidence.
 *
 * @param citizenships         every citizenship established by the evidence that counts
 * @param controllingCountry   the country the EAR looks at; null for US persons and UNKNOWN
 * @param assuranceLevel       of the deciding evidence; null when there is none
 * @param verifyTime           of the deciding evidence
 * @param expireTime           of the deciding evidence
 * @param decidingVerification id of the evidence the status came from; null when UNKNOWN
 * @param recomputeTime        the earliest time the derivation can change without new input (a
 *                             piece of verified evidence expires or becomes current); null: never
 */
public record DerivedStatus(UsPersonStatus status, List<Citizenship> citizenships, String controllingCountry,
                            AssuranceLevel assuranceLevel, Instant verifyTime, Instant expireTime,
                            String decidingVerification, Instant recomputeTime) {

    public static final DerivedStatus UNKNOWN = unknown(null);

    public DerivedStatus {
        Objects.requireNonNull(status);
        citizenships = List.copyOf(citizenships);
    }

    public static DerivedStatus unknown(Instant recomputeTime) {
        return new DerivedStatus(UsPersonStatus.UNKNOWN, List.of(), null, null, null, null, null, recomputeTime);
    }

    static DerivedStatus decidedBy(Evidence deciding, UsPersonStatus status, List<Citizenship> citizenships,
                                   String controllingCountry, Instant recomputeTime) {
        return new DerivedStatus(status, citizenships, controllingCountry, deciding.assuranceLevel(),
                deciding.verifyTime(), deciding.expireTime(), deciding.verificationId(), recomputeTime);
    }
}
