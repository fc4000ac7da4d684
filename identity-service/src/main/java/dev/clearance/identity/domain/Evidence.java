package dev.clearance.identity.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a verification established, as the status derivation sees it.
 *
 * @param verificationId the verification's id (its resource name's last segment)
 * @param expireTime     null means the evidence does not expire
 */
public record Evidence(String verificationId, List<Citizenship> citizenships, ImmigrationStatus immigrationStatus,
                       AssuranceLevel assuranceLevel, Instant verifyTime, Instant expireTime) {

    public Evidence {
        Objects.requireNonNull(verificationId);
        citizenships = List.copyOf(citizenships);
        Objects.requireNonNull(immigrationStatus);
        Objects.requireNonNull(assuranceLevel);
        Objects.requireNonNull(verifyTime);
    }

    /** Current = verified by {@code now} and not yet expired (expiry is exclusive). */
    public boolean isCurrentAt(Instant now) {
        return !verifyTime.isAfter(now) && (expireTime == null || now.isBefore(expireTime));
    }
}
