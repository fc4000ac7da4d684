package dev.clearance.access;

import dev.clearance.api.ApiError;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpServer;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The verifier without Quarkus: key rotation, and Keycloak being down. */
class AccessTokenVerifierTest {

    private static final String ISSUER = "https://issuer.test/realms/clearance";
    private static final String DOMAIN = "test.clearance.dev";

    private static Vertx vertx;
    private static HttpServer jwksServer;
    private static final AtomicReference<String> published = new AtomicReference<>();
    private static final AtomicInteger fetches = new AtomicInteger();

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        jwksServer = vertx.createHttpServer()
                .requestHandler(req -> {
                    fetches.incrementAndGet();
                    req.response().putHeader("Content-Type", "application/json").endAndForget(published.get());
                })
                .listenAndAwait(0);
    }

    @AfterAll
    static void stop() {
        jwksServer.closeAndAwait();
        vertx.closeAndAwait();
    }

    private static OidcConfig config(String jwksUrl, Duration minRefresh) {
        return new OidcConfig() {
            public String issuer() {
                return ISSUER;
            }

            public String audience() {
                return "clearance-api";
            }

            public Optional<String> jwksUrl() {
                return Optional.of(jwksUrl);
            }

            public Duration clockSkew() {
                return Duration.ofSeconds(30);
            }

            public Duration jwksMaxAge() {
                return Duration.ofMinutes(10);
            }

            public Duration jwksMinRefreshInterval() {
                return minRefresh;
            }

            public Duration jwksTimeout() {
                return Duration.ofSeconds(5);
            }
        };
    }

    private static AccessTokenVerifier verifier(OidcConfig config) {
        return new AccessTokenVerifier(config, new RealmKeys(config, Clock.systemUTC(), vertx), Clock.systemUTC());
    }

    private static RsaJsonWebKey key(String kid) throws Exception {
        RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
        key.setKeyId(kid);
        return key;
    }

    private static String token(RsaJsonWebKey key, String subject) throws Exception {
        return sign(key, claims(subject));
    }

    private static JwtClaims claims(String subject) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setAudience("clearance-api");
        claims.setSubject(subject);
        claims.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() + 300));
        return claims;
    }

    private static String sign(RsaJsonWebKey key, JwtClaims claims) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }

    @Test
    void picksUpARotatedKeyWithOneFetchAndCachesIt() throws Exception {
        RsaJsonWebKey first = key("k1");
        RsaJsonWebKey second = key("k2");
        published.set(new JsonWebKeySet(first).toJson());
        AccessTokenVerifier verifier = verifier(config("http://localhost:" + jwksServer.actualPort() + "/certs", Duration.ZERO));
        int before = fetches.get();

        assertEquals("alice", verifier.verify(token(first, "alice"), DOMAIN).await().indefinitely().subject());
        assertEquals("alice", verifier.verify(token(first, "alice"), DOMAIN).await().indefinitely().subject());
        assertEquals(before + 1, fetches.get(), "fetched lazily, once");

        published.set(new JsonWebKeySet(first, second).toJson());
        assertEquals("bob", verifier.verify(token(second, "bob"), DOMAIN).await().indefinitely().subject());
        assertEquals(before + 2, fetches.get(), "an unknown key id triggers one refetch");
    }

    @Test
    void carriesTheUsernameAndTheRealmRolesButNothingElse() throws Exception {
        RsaJsonWebKey key = key("k-roles");
        published.set(new JsonWebKeySet(key).toJson());
        AccessTokenVerifier verifier = verifier(config("http://localhost:" + jwksServer.actualPort() + "/certs", Duration.ZERO));
        JwtClaims claims = claims("c1ea-ff");
        claims.setClaim("preferred_username", "officer");
        claims.setClaim("realm_access", java.util.Map.of("roles", java.util.List.of("clearance-admin", "offline_access")));
        claims.setClaim("resource_access", java.util.Map.of("clearance-api", java.util.Map.of("roles", java.util.List.of("clearance-auditor"))));
        VerifiedToken token = verifier.verify(sign(key, claims), DOMAIN).await().indefinitely();
        assertEquals(new VerifiedToken("c1ea-ff", "officer", java.util.Set.of("clearance-admin", "offline_access")), token,
                "client roles are not realm roles");

        VerifiedToken bare = verifier.verify(token(key, "c1ea-00"), DOMAIN).await().indefinitely();
        assertEquals(new VerifiedToken("c1ea-00", null, java.util.Set.of()), bare);
    }

    @Test
    void errorsCarryTheCallingServicesDomain() throws Exception {
        RsaJsonWebKey key = key("k-domain");
        published.set(new JsonWebKeySet(key).toJson());
        AccessTokenVerifier verifier = verifier(config("http://localhost:" + jwksServer.actualPort() + "/certs", Duration.ZERO));
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> verifier.verify("not-a-jwt", "entitlement.clearance.dev").await().indefinitely());
        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
        assertEquals("entitlement.clearance.dev", ApiError.errorInfo(e).orElseThrow().getDomain());
    }

    @Test
    void unknownKeyIdDoesNotRefetchWithinTheMinimumInterval() throws Exception {
        RsaJsonWebKey known = key("k1");
        published.set(new JsonWebKeySet(known).toJson());
        AccessTokenVerifier verifier = verifier(config("http://localhost:" + jwksServer.actualPort() + "/certs", Duration.ofHours(1)));
        verifier.verify(token(known, "alice"), DOMAIN).await().indefinitely();
        int after = fetches.get();
        for (int i = 0; i < 3; i++) {
            String forged = token(key("k-" + i), "mallory");
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> verifier.verify(forged, DOMAIN).await().indefinitely());
            assertEquals("CREDENTIAL_INVALID", ApiError.errorInfo(e).orElseThrow().getReason());
        }
        assertEquals(after, fetches.get(), "garbage key ids cannot make us hammer the login provider");
    }

    @Test
    void unreachableLoginProviderIsUnavailableNotInvalid() throws Exception {
        // nothing listens on port 1; constructing the verifier fetched nothing
        AccessTokenVerifier verifier = verifier(config("http://127.0.0.1:1/certs", Duration.ZERO));
        String token = token(key("k1"), "alice");
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> verifier.verify(token, DOMAIN).await().indefinitely());
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertEquals("IDENTITY_UNAVAILABLE", ApiError.errorInfo(e).orElseThrow().getReason());
    }
}
