package dev.clearance.identity.support;

import dev.clearance.testing.TestIssuer;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for Keycloak in service tests: the shared {@link TestIssuer}'s JWKS is served at
 * {@code /test-jwks} on the test HTTP port (see %test config), and tokens are signed with its key.
 */
@ApplicationScoped
public class TestRealm {

    public static final String ISSUER = TestIssuer.ISSUER;
    public static final String AUDIENCE = TestIssuer.AUDIENCE;
    /** One issuer for the test JVM: the JWKS route, {@link OperatorTokens} and the tests sign with it. */
    public static final TestIssuer KEYS = new TestIssuer();

    /** Same key id, different key: a forgery the verifier must reject. */
    private final RsaJsonWebKey forgerKey = generate(KEYS.keyId());
    private final RsaJsonWebKey unknownKey = generate("unknown-key");
    private final AtomicInteger jwksRequests = new AtomicInteger();

    void routes(@Observes Router router) {
        String jwks = KEYS.jwksJson();
        router.get("/test-jwks").handler(ctx -> {
            jwksRequests.incrementAndGet();
            ctx.response().putHeader("Content-Type", "application/json").end(jwks);
        });
    }

    public int jwksRequests() {
        return jwksRequests.get();
    }

    /** Claims of a valid access token for {@code subject} without roles, five minutes left. */
    public JwtClaims claims(String subject, Instant now) {
        return KEYS.claims(subject, null, now, Duration.ofMinutes(5));
    }

    public String sign(JwtClaims claims) {
        return KEYS.sign(claims);
    }

    public String signByForger(JwtClaims claims) {
        return sign(claims, forgerKey);
    }

    public String signWithUnknownKey(JwtClaims claims) {
        return sign(claims, unknownKey);
    }

    private static String sign(JwtClaims claims, RsaJsonWebKey key) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RsaJsonWebKey generate(String keyId) {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId(keyId);
            key.setUse("sig");
            key.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
