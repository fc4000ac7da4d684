package dev.clearance.entitlement.domain;

import java.util.List;

/** A tier with its model patterns in order. */
public record StoredTier(TierEntity tier, List<String> modelPatterns) {
}
