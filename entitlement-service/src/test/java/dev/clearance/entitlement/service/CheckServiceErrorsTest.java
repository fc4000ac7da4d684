package dev.clearance.entitlement.service;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import dev.clearance.api.ApiError;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How identity-service's failures surface from Check. */
class CheckServiceErrorsTest {

    private static StatusRuntimeException mapped(Throwable identityFailure) {
        return (StatusRuntimeException) CheckService.identityError(identityFailure, "persons/bogdan");
    }

    @Test
    void unreachableOrSlowIdentityIsIdentityUnavailable() {
        for (Status status : new Status[]{Status.UNAVAILABLE, Status.DEADLINE_EXCEEDED, Status.UNIMPLEMENTED}) {
            StatusRuntimeException e = mapped(status.asRuntimeException());
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
            assertEquals("IDENTITY_UNAVAILABLE", ApiError.errorInfo(e).orElseThrow().getReason());
            assertEquals("entitlement.clearance.dev", ApiError.errorInfo(e).orElseThrow().getDomain());
        }
    }

    @Test
    void unknownSubjectIsNotFound() {
        StatusRuntimeException e = mapped(Status.NOT_FOUND.asRuntimeException());
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertEquals("persons/bogdan", ApiError.errorInfo(e).orElseThrow().getMetadataOrThrow("resource"));
    }

    @Test
    void identityVerdictKeepsItsCodeAndReason() {
        com.google.rpc.Status revoked = com.google.rpc.Status.newBuilder()
                .setCode(Status.Code.UNAUTHENTICATED.value())
                .setMessage("revoked")
                .addDetails(Any.pack(ErrorInfo.newBuilder().setReason("API_KEY_REVOKED")
                        .setDomain("identity.clearance.dev").build()))
                .build();
        StatusRuntimeException e = mapped(StatusProto.toStatusRuntimeException(revoked));
        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
        assertEquals("API_KEY_REVOKED", ApiError.errorInfo(e).orElseThrow().getReason());
        assertEquals("entitlement.clearance.dev", ApiError.errorInfo(e).orElseThrow().getDomain());
    }

    @Test
    void anythingElseIsInternalWithARequestIdOnly() {
        StatusRuntimeException e = mapped(Status.INTERNAL.withDescription("SQL: select * from person").asRuntimeException());
        assertEquals(Status.Code.INTERNAL, e.getStatus().getCode());
        ErrorInfo info = ApiError.errorInfo(e).orElseThrow();
        assertEquals("INTERNAL", info.getReason());
        assertEquals(1, info.getMetadataCount());
        assertEquals(false, e.getStatus().getDescription().contains("SQL"));
    }
}
