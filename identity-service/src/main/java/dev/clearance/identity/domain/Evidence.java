package dev.clearance.identity.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a piece of evidence established, as the status derivation sees it.
 *
 * @param verificationId the verification's id (its resource name's last segment)
 * @param documentClass  null: a whole-person statement of citizenships and immigration status
 * @param expireTime     null means the evidence does not expire
 */
public record Evidence(String verificationId, DocumentClass documentClass, VerificationState state,
                       List<Citizenship> citizenships, ImmigrationStatus immigrationStatus,
                       AssuranceLevel assuranceLevel, Instant verifyTime, Instant expireTime) {

    public Evidence {
        Objects.requireNonNull(verificationId);
        Objects.requireNonNull(state);
        citizenships = List.copyOf(citizenships);
        Objects.requireNonNull(immigrationStatus);
        Objects.requireNonNull(assuranceLevel);
        Objects.requireNonNull(verifyTime);
    }

    /** A verified whole-person statement. */
    public Evidence(String verificationId, List<Citizenship> citizenships, ImmigrationStatus immigrationStatus,
                    AssuranceLevel assuranceLevel, Instant verifyTime, Instant expireTime) {
        this(verificationId, null, VerificationState.VERIFIED, citizenships, immigrationStatus, assuranceLevel,
                verifyTime, expireTime);
    }

    /** Current = in state VERIFIED, verified by {@code now} and not yet expired (expiry is exclusive). */
    public boolean isCurrentAt(Instant now) {
        return state == VerificationState.VERIFIED
                && !verifyTime.isAfter(now) && (expireTime == null || now.isBefore(expireTime));
    }

    /** Not one document but a statement of everything about the person; supersedes older evidence. */
    public boolean isWholePersonStatement() {
        return documentClass == null;
    }

    /** Whether its immigration status is a statement (a passport says nothing about US immigration status). */
    public boolean speaksToImmigration() {
        return documentClass == null || documentClass.establishesImmigrationStatus();
    }

    public boolean holds(String country) {
        return citizenships.stream().anyMatch(c -> c.country().equals(country));
    }
}
