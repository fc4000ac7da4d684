package dev.clearance.router.identity;

import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import dev.clearance.api.ApiError;
import dev.clearance.common.v1.ErrorReason;
import dev.clearance.router.service.RouterErrors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How identity-service's answers become the router's: pass authentication failures through, fail closed otherwise. */
class IdentityServiceCallerResolverTest {

    private static StatusRuntimeException translated(Throwable upstream) {
        return (StatusRuntimeException) IdentityServiceCallerResolver.translate(upstream);
    }

    @Test
    void unauthenticatedPassesThroughWithTheSameReason() {
        StatusRuntimeException upstream = ApiError.unauthenticated(ErrorReason.ERROR_REASON_API_KEY_REVOKED,
                "identity.clearance.dev", "API key apiKeys/k1 is revoked").put("api_key", "apiKeys/k1").toException();
        StatusRuntimeException e = translated(upstream);
        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
        ErrorInfo info = ApiError.errorInfo(e).orElseThrow();
        assertEquals("API_KEY_REVOKED", info.getReason());
        assertEquals(RouterErrors.DOMAIN, info.getDomain());
        assertEquals("apiKeys/k1", info.getMetadataOrThrow("api_key"));
        assertEquals("API key apiKeys/k1 is revoked", e.getStatus().getDescription());
    }

    @Test
    void unauthenticatedWithoutDetailsIsAnInvalidCredential() {
        StatusRuntimeException e = translated(Status.UNAUTHENTICATED.withDescription("bad token").asRuntimeException());
        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
        assertEquals("CREDENTIAL_INVALID", ApiError.errorInfo(e).orElseThrow().getReason());
    }

    @Test
    void anIdentityOutageIsUnavailableNeverAnAnswer() {
        for (Status status : new Status[] {Status.UNAVAILABLE, Status.DEADLINE_EXCEEDED, Status.INTERNAL,
                Status.CANCELLED, Status.UNKNOWN}) {
            StatusRuntimeException e = translated(status.asRuntimeException());
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), status.getCode().name());
            assertEquals("IDENTITY_UNAVAILABLE", ApiError.errorInfo(e).orElseThrow().getReason());
        }
        StatusRuntimeException internal = ApiError.internal("identity.clearance.dev", "r-1").toException();
        assertEquals(Code.UNAVAILABLE_VALUE, translated(internal).getStatus().getCode().value());
        assertEquals(Status.Code.UNAVAILABLE, translated(new java.net.ConnectException("refused")).getStatus().getCode());
    }
}
