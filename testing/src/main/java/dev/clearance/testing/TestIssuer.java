package dev.clearance.testing;

import com.sun.net.httpserver.HttpServer;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Stands in for Keycloak where a test needs signed access tokens but not a login server: an RSA
 * signing key, its JWKS, and access tokens shaped like Keycloak's ({@code iss}, {@code aud}
 * {@code clearance-api}, {@code sub}, {@code preferred_username}, {@code realm_access.roles},
 * {@code typ} Bearer). The services verify them exactly as they verify Keycloak's: signature
 * against the JWKS, issuer, audience, expiry. Tests that use the real login flow use the suite's
 * Keycloak instead.
 *
 * <p>The JWKS is served either by the service under test (an HTTP route in its test sources) or
 * by {@link #serveJwks()} for services started as separate processes.
 */
public final class TestIssuer {

    public static final String ISSUER = "https://issuer.test/realms/clearance";
    public static final String AUDIENCE = "clearance-api";
    public static final String ADMIN = "clearance-admin";
    public static final String COMPLIANCE = "clearance-compliance";
    public static final String AUDITOR = "clearance-auditor";

    private final String issuer;
    private final RsaJsonWebKey key;

    public TestIssuer() {
        this(ISSUER);
    }

    public TestIssuer(String issuer) {
        this.issuer = issuer;
        this.key = generate("test-realm-key");
    }

    public String issuer() {
        return issuer;
    }

    /** The {@code kid} of the signing key (a test forging tokens reuses it with another key). */
    public String keyId() {
        return key.getKeyId();
    }

    /** The JWKS document with the public key. */
    public String jwksJson() {
        return new JsonWebKeySet(key).toJson();
    }

    /** A token for {@code username} (subject {@code subject}) with these realm roles, valid five minutes. */
    public String token(String subject, String username, String... realmRoles) {
        return sign(claims(subject, username, Instant.now(), Duration.ofMinutes(5), realmRoles));
    }

    /** Claims of a Keycloak-shaped access token, to alter before {@link #sign}. */
    public JwtClaims claims(String subject, String username, Instant issuedAt, Duration lifetime, String... realmRoles) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience(AUDIENCE);
        claims.setSubject(subject);
        claims.setIssuedAt(NumericDate.fromMilliseconds(issuedAt.toEpochMilli()));
        claims.setExpirationTime(NumericDate.fromMilliseconds(issuedAt.plus(lifetime).toEpochMilli()));
        claims.setClaim("typ", "Bearer");
        claims.setClaim("azp", "clearance-cli");
        if (username != null) {
            claims.setClaim("preferred_username", username);
        }
        claims.setClaim("realm_access", Map.of("roles", List.copyOf(Arrays.asList(realmRoles))));
        return claims;
    }

    public String sign(JwtClaims claims) {
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

    /** The JWKS served over HTTP on a free loopback port, for services running as processes. */
    public JwksServer serveJwks() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            byte[] body = jwksJson().getBytes(StandardCharsets.UTF_8);
            server.createContext("/jwks", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return new JwksServer(server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A running JWKS endpoint; close it when the processes that use it have stopped. */
    public static final class JwksServer implements AutoCloseable {
        private final HttpServer server;

        private JwksServer(HttpServer server) {
            this.server = server;
        }

        /** For {@code clearance.oidc.jwks-url}. */
        public String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks";
        }

        @Override
        public void close() {
            server.stop(0);
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
