package dev.clearance.identity.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** API keys: {@code clearance.api-keys.*}. */
@ConfigMapping(prefix = "clearance.api-keys")
public interface ApiKeyConfig {

    /**
     * Last use is written only when the recorded one is older than this, so a busy key costs one
     * write per interval rather than one per request.
     */
    @WithDefault("1m")
    Duration lastUseGranularity();

    /** The longest a previous secret may stay valid after a rotation. */
    @WithDefault("30d")
    Duration maxRotationOverlap();
}
