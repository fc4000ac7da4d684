package dev.clearance.identity.service;

import dev.clearance.identity.domain.ApiKey;
import dev.clearance.identity.domain.ApiKeySecret;

/** A new key with its secret, which exists only in this response. */
public record CreatedApiKey(ApiKey apiKey, ApiKeySecret secret) {
}
