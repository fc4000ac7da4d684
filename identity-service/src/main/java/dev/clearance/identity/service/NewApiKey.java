package dev.clearance.identity.service;

import java.time.Instant;

/**
 * A validated CreateApiKey request; exactly one owner is set.
 *
 * @param expireTime null: the key does not expire
 */
public record NewApiKey(String ownerPersonId, String ownerOrganisationId, String displayName, Instant expireTime) {
}
