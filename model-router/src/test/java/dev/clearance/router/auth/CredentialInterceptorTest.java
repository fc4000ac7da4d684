package dev.clearance.router.auth;

import dev.clearance.api.ApiError;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CredentialInterceptorTest {

    private static Metadata headers(String... pairs) {
        Metadata metadata = new Metadata();
        for (int i = 0; i < pairs.length; i += 2) {
            metadata.put(Metadata.Key.of(pairs[i], Metadata.ASCII_STRING_MARSHALLER), pairs[i + 1]);
        }
        return metadata;
    }

    private static String rejection(Metadata headers) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> CredentialInterceptor.read(headers));
        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
        return ApiError.errorInfo(e).orElseThrow().getReason();
    }

    @Test
    void bearerTokenIsReadWithoutItsScheme() {
        assertEquals(Credential.bearerToken("eyJ.abc.def"),
                CredentialInterceptor.read(headers("authorization", "Bearer eyJ.abc.def")));
        assertEquals(Credential.bearerToken("tok"), CredentialInterceptor.read(headers("authorization", "bearer tok")));
    }

    @Test
    void apiKeyIsReadAsIs() {
        assertEquals(Credential.apiKey("ck_live_123"), CredentialInterceptor.read(headers("x-api-key", "ck_live_123")));
    }

    @Test
    void noCredentialIsMissingEvenWhenOtherHeadersAssertAnIdentity() {
        assertEquals("CREDENTIAL_MISSING", rejection(headers("x-nationality", "US", "x-us-person", "true")));
    }

    @Test
    void malformedOrAmbiguousCredentialsAreInvalid() {
        assertEquals("CREDENTIAL_INVALID", rejection(headers("authorization", "Basic dXNlcjpwYXNz")));
        assertEquals("CREDENTIAL_INVALID", rejection(headers("authorization", "Bearer")));
        assertEquals("CREDENTIAL_INVALID", rejection(headers("authorization", "Bearer    ")));
        assertEquals("CREDENTIAL_INVALID", rejection(headers("authorization", "Bearer two tokens")));
        assertEquals("CREDENTIAL_INVALID", rejection(headers("x-api-key", " ")));
        assertEquals("CREDENTIAL_INVALID", rejection(headers("authorization", "Bearer a", "x-api-key", "b")));
        assertEquals("CREDENTIAL_INVALID", rejection(headers("x-api-key", "a", "x-api-key", "b")));
    }

    @Test
    void aCredentialNeverPrintsItsSecret() {
        Credential credential = Credential.apiKey("ck_live_secret");
        assertFalse(credential.toString().contains("ck_live_secret"));
        assertFalse(credential.fingerprint().contains("ck_live_secret"));
        assertEquals(64, credential.fingerprint().length());
        // Same secret presented as another kind is another credential.
        assertFalse(credential.fingerprint().equals(Credential.bearerToken("ck_live_secret").fingerprint()));
    }

    @Test
    void theFingerprintIsSha256OfKindAndSecretAndStableAcrossThreads() throws Exception {
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        sha.update("API_KEY\0ck_live_secret".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String expected = java.util.HexFormat.of().formatHex(sha.digest());
        assertEquals(expected, Credential.apiKey("ck_live_secret").fingerprint());
        // The digest is cloned from one shared prototype per call: concurrent callers never mix states.
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<Boolean>> runs = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String secret = "ck_live_" + t;
                String once = Credential.apiKey(secret).fingerprint();
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        if (!once.equals(Credential.apiKey(secret).fingerprint())) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (var run : runs) {
                assertTrue(run.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
