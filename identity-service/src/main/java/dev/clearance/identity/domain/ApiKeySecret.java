package dev.clearance.identity.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An API key secret, {@code clr_<prefix>_<secret>}: an 8-character lookup prefix and 32 random
 * bytes (base64url). The secret has 256 bits of entropy, so a fast hash (SHA-256) is the right
 * choice: a slow password hash would only add latency to every request without making
 * brute force any less hopeless.
 */
public final class ApiKeySecret {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final Pattern FORMAT = Pattern.compile("clr_([a-z0-9]{8})_([A-Za-z0-9_-]{43})");

    private final String prefix;
    private final String value;

    private ApiKeySecret(String prefix, String value) {
        this.prefix = prefix;
        this.value = value;
    }

    public static ApiKeySecret generate() {
        StringBuilder prefix = new StringBuilder(8);
        for (int i = 0; i < 8; i++) {
            prefix.append(PREFIX_ALPHABET.charAt(RANDOM.nextInt(PREFIX_ALPHABET.length())));
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return new ApiKeySecret(prefix.toString(), "clr_" + prefix + "_" + secret);
    }

    /** Empty when {@code presented} is not shaped like a Clearance API key. */
    public static Optional<ApiKeySecret> parse(String presented) {
        Matcher m = FORMAT.matcher(presented);
        return m.matches() ? Optional.of(new ApiKeySecret(m.group(1), presented)) : Optional.empty();
    }

    public String prefix() {
        return prefix;
    }

    /** The full secret; shown to the owner once, never stored. */
    public String value() {
        return value;
    }

    /** Lower-case hex SHA-256 of the full secret. */
    public String hash() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    /** Constant-time comparison with a stored hash. */
    public boolean matches(String storedHash) {
        return MessageDigest.isEqual(hash().getBytes(StandardCharsets.US_ASCII), storedHash.getBytes(StandardCharsets.US_ASCII));
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "ApiKeySecret[clr_" + prefix + "_…]";
    }
}
