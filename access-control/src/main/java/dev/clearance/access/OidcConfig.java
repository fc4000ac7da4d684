package dev.clearance.access;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** How access tokens from Keycloak are validated. */
@ConfigMapping(prefix = "clearance.oidc")
public interface OidcConfig {

    /** Expected {@code iss}, the realm URL. */
    @WithDefault("http://localhost:8180/realms/clearance")
    String issuer();

    /** Expected {@code aud} (Keycloak adds it with an audience mapper). */
    @WithDefault("clearance-api")
    String audience();

    /** Where the realm's signing keys are; default {@code <issuer>/protocol/openid-connect/certs}. */
    Optional<String> jwksUrl();

    /** Tolerance for clock differences when checking {@code exp}, {@code nbf} and {@code iat}. */
    @WithDefault("30s")
    Duration clockSkew();

    /** Keys are refetched at least this often, so rotated-out keys stop being trusted. */
    @WithDefault("10m")
    Duration jwksMaxAge();

    /**
     * A token with an unknown key id triggers a refetch at most this often, so garbage tokens
     * cannot make us hammer Keycloak.
     */
    @WithDefault("10s")
    Duration jwksMinRefreshInterval();

    /** Timeout of one JWKS request. */
    @WithDefault("5s")
    Duration jwksTimeout();

    default String effectiveJwksUrl() {
        return jwksUrl().orElse(issuer().replaceAll("/+$", "") + "/protocol/openid-connect/certs");
    }
}
