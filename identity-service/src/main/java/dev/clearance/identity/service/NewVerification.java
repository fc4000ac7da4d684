package dev.clearance.identity.service;

import dev.clearance.identity.domain.AssuranceLevel;
import dev.clearance.identity.domain.Citizenship;
import dev.clearance.identity.domain.ImmigrationStatus;

import java.time.Instant;
import java.util.List;

/** A validated RecordVerification request. */
public record NewVerification(String personId, List<Citizenship> citizenships, ImmigrationStatus immigrationStatus,
                              AssuranceLevel assuranceLevel, Instant verifyTime, Instant expireTime,
                              String evidenceReference) {
    public NewVerification {
        citizenships = List.copyOf(citizenships);
    }
}
