package dev.clearance.entitlement;

import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import dev.clearance.api.ApiError;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Assertions on Clearance errors as a client sees them. */
public final class Grpc {
    private Grpc() {
    }

    /** Runs {@code call}, expects {@code code}, and checks the error carries exactly one ErrorInfo of our domain. */
    public static StatusRuntimeException expect(Status.Code code, Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), () -> "status: " + e.getStatus());
        com.google.rpc.Status status = io.grpc.protobuf.StatusProto.fromThrowable(e);
        assertTrue(status != null, "google.rpc.Status details missing");
        assertEquals(1, status.getDetailsList().stream().filter(a -> a.is(ErrorInfo.class)).count(),
                "exactly one ErrorInfo");
        assertEquals("entitlement.clearance.dev", info(e).getDomain());
        return e;
    }

    /** Expects INVALID_ARGUMENT / FIELD_INVALID with exactly these violated fields, in order. */
    public static StatusRuntimeException expectViolations(Executable call, String... fields) {
        StatusRuntimeException e = expect(Status.Code.INVALID_ARGUMENT, call);
        assertEquals("FIELD_INVALID", info(e).getReason());
        assertEquals(List.of(fields), fields(e), () -> "violations: " + ApiError.fieldViolations(e));
        return e;
    }

    public static ErrorInfo info(Throwable e) {
        return ApiError.errorInfo(e).orElseThrow();
    }

    public static List<String> fields(Throwable e) {
        return ApiError.fieldViolations(e).stream().map(BadRequest.FieldViolation::getField).toList();
    }
}
