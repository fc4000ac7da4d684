package dev.clearance.identity.support;

import com.google.rpc.BadRequest;
import dev.clearance.api.ApiError;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Assertions on Clearance gRPC errors. */
public final class Grpc {

    private Grpc() {
    }

    /** Asserts the call fails with {@code code} and ErrorInfo {@code reason}; returns the error. */
    public static StatusRuntimeException assertError(Status.Code code, String reason, Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), () -> "status of " + e.getStatus());
        assertEquals(reason, ApiError.errorInfo(e).orElseThrow().getReason(), () -> "reason of " + e.getStatus());
        assertEquals("identity.clearance.dev", ApiError.errorInfo(e).orElseThrow().getDomain());
        return e;
    }

    /** Asserts INVALID_ARGUMENT with exactly these violated fields, in order. */
    public static void assertViolations(List<String> fields, Executable call) {
        StatusRuntimeException e = assertError(Status.Code.INVALID_ARGUMENT, "FIELD_INVALID", call);
        assertEquals(fields, ApiError.fieldViolations(e).stream().map(BadRequest.FieldViolation::getField).toList(),
                () -> "violations: " + ApiError.fieldViolations(e));
    }
}
