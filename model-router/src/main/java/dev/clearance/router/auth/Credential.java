package dev.clearance.router.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The credential a call presented: a bearer token or an API key secret. The router never
 * interprets it; identity-service does. {@link #toString()} never shows the secret, so a
 * credential can not leak into a log by accident.
 */
public record Credential(Kind kind, String secret) {

    public enum Kind { BEARER_TOKEN, API_KEY }

    // Cloned per fingerprint: MessageDigest.getInstance looks the algorithm up among the security
    // providers and instantiates it reflectively on every call, several times the hash itself.
    private static final MessageDigest SHA_256 = sha256();
    private static final HexFormat HEX = HexFormat.of();

    public Credential {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(secret, "secret");
    }

    public static Credential bearerToken(String token) {
        return new Credential(Kind.BEARER_TOKEN, token);
    }

    public static Credential apiKey(String secret) {
        return new Credential(Kind.API_KEY, secret);
    }

    /** SHA-256 of kind and secret, hex: what caches key on, so no secret is held as a key. */
    public String fingerprint() {
        MessageDigest sha;
        try {
            sha = (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            sha = sha256(); // the JDK's SHA-256 is cloneable; another provider's may not be
        }
        sha.update(kind.name().getBytes(StandardCharsets.US_ASCII));
        sha.update((byte) 0);
        return HEX.formatHex(sha.digest(secret.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    @Override
    public String toString() {
        return "Credential[" + kind + ", secret redacted]";
    }
}
