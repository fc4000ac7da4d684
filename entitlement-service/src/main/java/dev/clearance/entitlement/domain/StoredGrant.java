package dev.clearance.entitlement.domain;

import java.util.List;

/** A grant with its model patterns in order. */
public record StoredGrant(GrantEntity grant, List<String> modelPatterns) {
}
