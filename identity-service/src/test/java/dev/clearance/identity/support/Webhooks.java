package dev.clearance.identity.support;

import dev.clearance.identity.webhook.WebhookSignatures;
import io.restassured.response.Response;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static io.restassured.RestAssured.given;

/** Loads the sample payloads in src/test/resources/webhooks, fills them in, signs and posts them. */
public final class Webhooks {

    public static final String PERSONA_SECRET = "test-persona-secret";
    public static final String STRIPE_SECRET = "test-stripe-secret";
    public static final String ONFIDO_SECRET = "test-onfido-secret";

    private Webhooks() {
    }

    /** The sample with its placeholders filled in: verified an hour ago. */
    public static byte[] sample(String path, String person, String event) {
        Instant verifiedAt = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        String text = read(path);
        LocalDate expires = documentExpiry();
        for (var e : Map.of("${PERSON}", person, "${EVENT}", event, "${VERIFIED_AT}", verifiedAt.toString(),
                "${VERIFIED_EPOCH}", Long.toString(verifiedAt.getEpochSecond()),
                "${DOCUMENT_EXPIRES}", expires.toString(),
                "${DOCUMENT_EXPIRES_DAY}", Integer.toString(expires.getDayOfMonth()),
                "${DOCUMENT_EXPIRES_MONTH}", Integer.toString(expires.getMonthValue()),
                "${DOCUMENT_EXPIRES_YEAR}", Integer.toString(expires.getYear())).entrySet()) {
            text = text.replace(e.getKey(), e.getValue());
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The documents in the samples expire a year from today (UTC). */
    public static LocalDate documentExpiry() {
        return LocalDate.now(ZoneOffset.UTC).plusYears(1);
    }

    public static String read(String path) {
        try (InputStream in = Webhooks.class.getResourceAsStream("/webhooks/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String personaSignature(byte[] body, Instant at) {
        return WebhookSignatures.signTimestamped(body, PERSONA_SECRET, at.getEpochSecond());
    }

    public static String stripeSignature(byte[] body, Instant at) {
        return WebhookSignatures.signTimestamped(body, STRIPE_SECRET, at.getEpochSecond());
    }

    public static Response post(String vendorPath, String signatureHeader, String signature, byte[] body) {
        var request = given().contentType("application/json").body(body);
        if (signature != null) {
            request = request.header(signatureHeader, signature);
        }
        return request.post("/webhooks/" + vendorPath);
    }

    public static Response persona(byte[] body) {
        return post("persona", "Persona-Signature", personaSignature(body, Instant.now()), body);
    }

    public static Response stripe(byte[] body) {
        return post("stripe-identity", "Stripe-Signature", stripeSignature(body, Instant.now()), body);
    }

    public static Response onfido(byte[] body) {
        return post("onfido", "X-SHA2-Signature", WebhookSignatures.signHex(body, ONFIDO_SECRET), body);
    }
}
