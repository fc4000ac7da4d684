package dev.clearance.identity.keycloak;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * Keycloak admin API access and the sync schedule. The server and realm are those of
 * {@code clearance.oidc.issuer} unless {@code admin.url} says otherwise. Without a client secret
 * nothing talks to the admin API: no sync, no session ending.
 */
@ConfigMapping(prefix = "clearance.keycloak")
public interface KeycloakSyncConfig {

    Admin admin();

    Sync sync();

    interface Admin {
        /** Server base URL ({@code http://host:port}); default: the part of the issuer before {@code /realms/}. */
        Optional<String> url();

        /** Confidential client with a service account holding realm-management view-users, manage-users, view-realm. */
        @WithDefault("clearance-identity-sync")
        String clientId();

        /** From the environment in production ({@code CLEARANCE_KEYCLOAK_ADMIN_CLIENT_SECRET}). */
        Optional<String> clientSecret();

        /** Timeout of one admin API request. */
        @WithDefault("10s")
        Duration timeout();

        /** Page size when listing users, organisations and members. */
        @WithDefault("200")
        int pageSize();
    }

    interface Sync {
        /** Periodic sync; the on-demand RPC works whenever a client secret is configured. */
        @WithDefault("true")
        boolean enabled();

        /** First periodic run after start-up. */
        @WithDefault("5s")
        Duration initialDelay();

        /** Between two successful runs. */
        @WithDefault("5m")
        Duration interval();

        /** After a failed run the next one comes after this, doubling per failure up to max-backoff. */
        @WithDefault("1s")
        Duration minBackoff();

        @WithDefault("2m")
        Duration maxBackoff();

        /** End a person's Keycloak sessions when their status becomes more restrictive. */
        @WithDefault("true")
        boolean endSessions();
    }
}
