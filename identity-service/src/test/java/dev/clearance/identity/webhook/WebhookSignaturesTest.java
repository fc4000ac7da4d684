package dev.clearance.identity.webhook;

import dev.clearance.identity.webhook.WebhookSignatures.Verdict;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WebhookSignaturesTest {

    private static final byte[] BODY = "{\"data\":{\"id\":\"evt_1\"}}".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-06-12T21:21:00Z");
    private static final Duration TOLERANCE = Duration.ofMinutes(5);

    private static Verdict verify(String header) {
        return WebhookSignatures.verifyTimestamped(header, BODY, "secret", NOW, TOLERANCE);
    }

    @Test
    void timestampedSignatureWithinToleranceIsValid() {
        assertEquals(Verdict.VALID, verify(WebhookSignatures.signTimestamped(BODY, "secret", NOW.getEpochSecond())));
        assertEquals(Verdict.VALID, verify(WebhookSignatures.signTimestamped(BODY, "secret", NOW.minusSeconds(299).getEpochSecond())));
    }

    @Test
    void oldOrFutureTimestampIsOutsideTolerance() {
        assertEquals(Verdict.OUTSIDE_TOLERANCE,
                verify(WebhookSignatures.signTimestamped(BODY, "secret", NOW.minusSeconds(301).getEpochSecond())));
        assertEquals(Verdict.OUTSIDE_TOLERANCE,
                verify(WebhookSignatures.signTimestamped(BODY, "secret", NOW.plusSeconds(400).getEpochSecond())));
    }

    @Test
    void alteredBodyOtherSecretOrForgedTimestampMismatch() {
        String header = WebhookSignatures.signTimestamped(BODY, "secret", NOW.getEpochSecond());
        assertEquals(Verdict.MISMATCH, WebhookSignatures.verifyTimestamped(header,
                "{\"data\":{\"id\":\"evt_2\"}}".getBytes(StandardCharsets.UTF_8), "secret", NOW, TOLERANCE));
        assertEquals(Verdict.MISMATCH, WebhookSignatures.verifyTimestamped(header, BODY, "other", NOW, TOLERANCE));
        // moving t forward to pass the tolerance check breaks the signature
        String old = WebhookSignatures.signTimestamped(BODY, "secret", NOW.minusSeconds(3600).getEpochSecond());
        String v1 = old.substring(old.indexOf("v1="));
        assertEquals(Verdict.MISMATCH, verify("t=" + NOW.getEpochSecond() + "," + v1));
    }

    @Test
    void rotationGroupsAndSeveralSignaturesAreAccepted() {
        String good = WebhookSignatures.signTimestamped(BODY, "secret", NOW.getEpochSecond());
        String other = WebhookSignatures.signTimestamped(BODY, "retired", NOW.getEpochSecond());
        assertEquals(Verdict.VALID, verify(other + " " + good), "Persona rotation: two groups");
        String goodV1 = good.substring(good.indexOf("v1="));
        String otherV1 = other.substring(other.indexOf("v1="));
        assertEquals(Verdict.VALID, verify("t=" + NOW.getEpochSecond() + "," + otherV1 + "," + goodV1 + ",v0=abc"),
                "Stripe: several v1, unknown schemes ignored");
    }

    @Test
    void missingOrMalformedHeaders() {
        assertEquals(Verdict.MISSING, verify(null));
        assertEquals(Verdict.MISSING, verify(" "));
        assertEquals(Verdict.MALFORMED, verify("v1=abcdef"));
        assertEquals(Verdict.MALFORMED, verify("t=yesterday,v1=abcdef"));
        assertEquals(Verdict.MISMATCH, verify("t=" + NOW.getEpochSecond() + ",v1=not-hex"));
    }

    @Test
    void onfidoHexSignatureOfTheRawBody() {
        String hex = WebhookSignatures.signHex(BODY, "token");
        assertEquals(64, hex.length());
        assertEquals(Verdict.VALID, WebhookSignatures.verifyHex(hex, BODY, "token"));
        assertEquals(Verdict.VALID, WebhookSignatures.verifyHex(hex.toUpperCase(), BODY, "token"));
        assertEquals(Verdict.MISMATCH, WebhookSignatures.verifyHex(hex, BODY, "other"));
        assertEquals(Verdict.MISSING, WebhookSignatures.verifyHex(null, BODY, "token"));
    }
}
