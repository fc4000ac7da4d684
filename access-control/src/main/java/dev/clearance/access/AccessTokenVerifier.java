package dev.clearance.access;

import dev.clearance.api.ApiError;
import dev.clearance.common.v1.ErrorReason;
import io.grpc.StatusRuntimeException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.lang.JoseException;

import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Validates a Keycloak access token: signature against the realm's keys, issuer, audience,
 * expiry. Signature is checked before any claim, so a forged token is reported as invalid,
 * never as expired.
 *
 * <p>Built on jose4j (the library under smallrye-jwt) with the keys fetched by {@link RealmKeys}
 * over the non-blocking Vert.x client, so validation never blocks and needs no worker thread.
 */
@ApplicationScoped
public class AccessTokenVerifier {

    private static final Logger LOG = Logger.getLogger(AccessTokenVerifier.class);

    private static final AlgorithmConstraints ALGORITHMS = new AlgorithmConstraints(
            AlgorithmConstraints.ConstraintType.PERMIT,
            AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.RSA_USING_SHA384,
            AlgorithmIdentifiers.RSA_USING_SHA512, AlgorithmIdentifiers.RSA_PSS_USING_SHA256,
            AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);

    private final OidcConfig config;
    private final RealmKeys keys;
    private final Clock clock;

    /** Token lifetimes are real time: a service's own clock (tests move theirs) never applies. */
    @Inject
    public AccessTokenVerifier(OidcConfig config, RealmKeys keys) {
        this(config, keys, Clock.systemUTC());
    }

    public AccessTokenVerifier(OidcConfig config, RealmKeys keys, Clock clock) {
        this.config = config;
        this.keys = keys;
        this.clock = clock;
    }

    /**
     * The token's subject, display name and realm roles, or a failure: UNAUTHENTICATED
     * CREDENTIAL_INVALID (malformed, bad signature, unknown key, wrong issuer or audience),
     * UNAUTHENTICATED CREDENTIAL_EXPIRED, or UNAVAILABLE when the realm's keys cannot be fetched;
     * errors carry {@code errorDomain} (the calling service's). Emits on the caller's Vert.x
     * context, so the caller may open a reactive session right after.
     */
    public Uni<VerifiedToken> verify(String token, String errorDomain) {
        JsonWebSignature jws;
        try {
            JsonWebStructure structure = JsonWebStructure.fromCompactSerialization(token);
            if (!(structure instanceof JsonWebSignature signature)) {
                return Uni.createFrom().failure(invalid(errorDomain, "the bearer token is not a signed JWT"));
            }
            jws = signature;
        } catch (JoseException | RuntimeException e) {
            return Uni.createFrom().failure(invalid(errorDomain, "the bearer token is not a well-formed JWT"));
        }
        Context context = Vertx.currentContext();
        Uni<VerifiedToken> result = keys.keyFor(jws)
                .onFailure(RealmKeys.KeysUnavailableException.class)
                .transform(e -> ApiError.unavailable(ErrorReason.ERROR_REASON_IDENTITY_UNAVAILABLE, errorDomain,
                                "the login provider's signing keys are unavailable; try again")
                        .put("dependency", "keycloak").toException())
                .map(key -> validate(token, key, errorDomain));
        // Key fetches complete on whichever context started them; hop back to ours.
        return context == null ? result : result.emitOn(task -> context.runOnContext(ignored -> task.run()));
    }

    private VerifiedToken validate(String token, JsonWebKey key, String errorDomain) {
        if (key == null) {
            throw invalid(errorDomain, "the bearer token is not signed by a key of the realm");
        }
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setVerificationKey(key.getKey())
                .setJwsAlgorithmConstraints(ALGORITHMS)
                .setExpectedIssuer(true, config.issuer())
                .setExpectedAudience(true, config.audience())
                .setRequireExpirationTime()
                .setRequireSubject()
                .setAllowedClockSkewInSeconds((int) config.clockSkew().toSeconds())
                .setEvaluationTime(NumericDate.fromMilliseconds(clock.millis()))
                .build();
        try {
            JwtClaims claims = consumer.processToClaims(token);
            Object typ = claims.getClaimValue("typ");
            // Keycloak marks access tokens "Bearer"; refuse ID and refresh tokens.
            if (typ != null && !"Bearer".equalsIgnoreCase(typ.toString())) {
                throw invalid(errorDomain, "the bearer token is not an access token");
            }
            return new VerifiedToken(claims.getSubject(), username(claims), realmRoles(claims));
        } catch (InvalidJwtException e) {
            if (e.hasExpired()) {
                throw ApiError.unauthenticated(ErrorReason.ERROR_REASON_CREDENTIAL_EXPIRED, errorDomain,
                        "the bearer token has expired").toException();
            }
            LOG.debugf("rejected bearer token: %s", e.getErrorDetails());
            throw invalid(errorDomain, "the bearer token is invalid (signature, issuer, audience or claims)");
        } catch (MalformedClaimException e) {
            throw invalid(errorDomain, "the bearer token has a malformed claim");
        }
    }

    private static String username(JwtClaims claims) {
        Object value = claims.getClaimValue("preferred_username");
        return value instanceof String s && !s.isBlank() ? s : null;
    }

    /** Keycloak puts realm roles in {@code realm_access.roles}; anything else there is ignored. */
    private static Set<String> realmRoles(JwtClaims claims) {
        Object access = claims.getClaimValue("realm_access");
        if (!(access instanceof Map<?, ?> map) || !(map.get("roles") instanceof Collection<?> roles)) {
            return Set.of();
        }
        Set<String> names = new LinkedHashSet<>();
        for (Object role : roles) {
            if (role instanceof String name) {
                names.add(name);
            }
        }
        return Set.copyOf(names);
    }

    private static StatusRuntimeException invalid(String errorDomain, String message) {
        return ApiError.unauthenticated(ErrorReason.ERROR_REASON_CREDENTIAL_INVALID, errorDomain, message)
                .toException();
    }
}
