package dev.clearance.identity.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A person's US-person status as derived from their evidence.
 *
 * @param controllingCountry the country the EAR looks at; null for US persons and UNKNOWN
 * @param assuranceLevel     null when there is no current evidence
 * @param decidingVerification id of the verification the status came from; null when UNKNOWN
 */
public record DerivedStatus(UsPersonStatus status, List<Citizenship> citizenships, String controllingCountry,
                            AssuranceLevel assuranceLevel, Instant verifyTime, Instant expireTime,
                            String decidingVerification) {

    public static final DerivedStatus UNKNOWN = new DerivedStatus(UsPersonStatus.UNKNOWN, List.of(), null, null, null, null, null);

    public DerivedStatus {
        Objects.requireNonNull(status);
        citizenships = List.copyOf(citizenships);
    }
}
