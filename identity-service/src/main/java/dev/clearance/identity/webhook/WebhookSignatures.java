package dev.clearance.identity.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The vendors' HMAC-SHA256 webhook signatures. Pure: the caller passes the time.
 *
 * <ul>
 *   <li>Persona ({@code Persona-Signature}) and Stripe ({@code Stripe-Signature}):
 *       {@code t=<unix seconds>,v1=<hex>}, the HMAC of {@code "<t>.<raw body>"}. Several
 *       {@code v1} values may be given, and Persona sends two space-separated {@code t=…,v1=…}
 *       groups while a secret is rotated: any match counts. The timestamp must be within the
 *       tolerance, which is what refuses a replayed delivery.</li>
 *   <li>Onfido ({@code X-SHA2-Signature}): the hex HMAC of the raw body. No timestamp, so replays
 *       are refused by event id instead.</li>
 * </ul>
 * Comparison is constant-time.
 */
public final class WebhookSignatures {

    public enum Verdict {
        VALID,
        MISSING,
        MALFORMED,
        /** No signature matches the body: forged, altered, or signed with another secret. */
        MISMATCH,
        /** Genuine but signed outside the tolerance: a replay or a badly skewed clock. */
        OUTSIDE_TOLERANCE
    }

    private WebhookSignatures() {
    }

    public static Verdict verifyTimestamped(String header, byte[] body, String secret, Instant now, Duration tolerance) {
        if (header == null || header.isBlank()) {
            return Verdict.MISSING;
        }
        List<Group> groups = parseGroups(header);
        if (groups.isEmpty()) {
            return Verdict.MALFORMED;
        }
        boolean matchedOutsideTolerance = false;
        for (Group g : groups) {
            byte[] expected = hmac(secret, concat((g.timestamp + ".").getBytes(StandardCharsets.US_ASCII), body));
            for (String v1 : g.signatures) {
                if (equalsHex(expected, v1)) {
                    if (Duration.between(Instant.ofEpochSecond(g.timestamp), now).abs().compareTo(tolerance) <= 0) {
                        return Verdict.VALID;
                    }
                    matchedOutsideTolerance = true;
                }
            }
        }
        return matchedOutsideTolerance ? Verdict.OUTSIDE_TOLERANCE : Verdict.MISMATCH;
    }

    public static Verdict verifyHex(String header, byte[] body, String secret) {
        if (header == null || header.isBlank()) {
            return Verdict.MISSING;
        }
        return equalsHex(hmac(secret, body), header.strip()) ? Verdict.VALID : Verdict.MISMATCH;
    }

    /** {@code t=<seconds>,v1=<hex>} for tests and tools. */
    public static String signTimestamped(byte[] body, String secret, long epochSeconds) {
        byte[] mac = hmac(secret, concat((epochSeconds + ".").getBytes(StandardCharsets.US_ASCII), body));
        return "t=" + epochSeconds + ",v1=" + HexFormat.of().formatHex(mac);
    }

    public static String signHex(byte[] body, String secret) {
        return HexFormat.of().formatHex(hmac(secret, body));
    }

    private record Group(long timestamp, List<String> signatures) {
    }

    /** Groups are separated by whitespace; a group without a timestamp takes the previous one's. */
    private static List<Group> parseGroups(String header) {
        List<Group> groups = new ArrayList<>();
        for (String part : header.strip().split("\\s+")) {
            Long timestamp = null;
            List<String> signatures = new ArrayList<>();
            for (String pair : part.split(",")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String key = pair.substring(0, eq).strip();
                String value = pair.substring(eq + 1).strip();
                if (key.equals("t")) {
                    try {
                        timestamp = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        return List.of();
                    }
                } else if (key.equals("v1")) {
                    signatures.add(value);
                }
            }
            if (timestamp == null && !groups.isEmpty()) {
                timestamp = groups.get(groups.size() - 1).timestamp;
            }
            if (timestamp != null && !signatures.isEmpty()) {
                groups.add(new Group(timestamp, signatures));
            }
        }
        return groups;
    }

    private static boolean equalsHex(byte[] expected, String hex) {
        byte[] given;
        try {
            given = HexFormat.of().parseHex(hex.toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(expected, given);
    }

    private static byte[] hmac(String secret, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(data);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is always available", e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
