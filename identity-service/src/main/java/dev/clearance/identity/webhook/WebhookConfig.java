package dev.clearance.identity.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.Optional;

/** KYC vendor webhooks: {@code clearance.webhooks.*}. */
@ConfigMapping(prefix = "clearance.webhooks")
public interface WebhookConfig {

    /** Larger bodies are refused with 413 before anything is parsed. */
    @WithDefault("262144")
    int maxBodyBytes();

    /**
     * How far the signed timestamp (Persona, Stripe) may be from now; older deliveries are
     * replays and refused. The vendors' own libraries default to five minutes.
     */
    @WithDefault("5m")
    Duration tolerance();

    /**
     * Vendor evidence counts at most this long after verification, even when the document is
     * valid for longer: a person is re-verified at least this often.
     */
    @WithDefault("730d")
    Duration evidenceMaxAge();

    Vendor persona();

    @WithName("stripe-identity")
    Vendor stripeIdentity();

    Vendor onfido();

    interface Vendor {
        /** The webhook signing secret; without it every delivery is refused. */
        Optional<String> secret();
    }
}
