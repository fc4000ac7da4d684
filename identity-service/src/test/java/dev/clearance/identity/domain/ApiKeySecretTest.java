package dev.clearance.identity.domain;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiKeySecretTest {

    @Test
    void generatedSecretHasTheDocumentedShapeAndParsesBack() {
        ApiKeySecret secret = ApiKeySecret.generate();
        assertTrue(secret.value().matches("clr_[a-z0-9]{8}_[A-Za-z0-9_-]{43}"), secret.value());
        ApiKeySecret parsed = ApiKeySecret.parse(secret.value()).orElseThrow();
        assertEquals(secret.prefix(), parsed.prefix());
        assertTrue(parsed.matches(secret.hash()));
        assertFalse(secret.toString().contains(secret.value().substring(13)), "toString never shows the secret");
    }

    @Test
    void hashIsSha256HexOfTheFullSecret() {
        String value = "clr_abcdefgh_" + "A".repeat(43);
        ApiKeySecret secret = ApiKeySecret.parse(value).orElseThrow();
        assertEquals("66b3cc28e544c678f08905ed14d481aade997d84690f96eae493d6afa1834d80", secret.hash());
        assertEquals(secret.hash(), ApiKeySecret.parse(value).orElseThrow().hash());
        assertNotEquals(secret.hash(), ApiKeySecret.parse("clr_abcdefgh_" + "B".repeat(43)).orElseThrow().hash());
        assertFalse(ApiKeySecret.parse("clr_abcdefgh_" + "B".repeat(43)).orElseThrow().matches(secret.hash()));
    }

    @Test
    void rejectsOtherShapes() {
        assertTrue(ApiKeySecret.parse("clr_ABCDEFGH_" + "A".repeat(43)).isEmpty());
        assertTrue(ApiKeySecret.parse("clr_abcdefgh_short").isEmpty());
        assertTrue(ApiKeySecret.parse("sk-" + "A".repeat(48)).isEmpty());
        assertTrue(ApiKeySecret.parse("").isEmpty());
    }
}
