package dev.clearance.sdk;

import dev.clearance.api.ApiError;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import java.util.List;
import java.util.Map;

/**
 * A call failed. Carries the gRPC code and the {@code google.rpc.ErrorInfo} the services attach to every
 * error: its {@link #reason()} (from {@code clearance.common.v1.ErrorReason} without the prefix, such as
 * {@code ACCESS_DENIED}), {@link #domain()} and {@link #metadata()}. Subclasses per code.
 */
public class ClearanceException extends RuntimeException {

    private final Status.Code grpcCode;
    private final String reason;
    private final String domain;
    private final Map<String, String> metadata;

    public ClearanceException(Status.Code grpcCode, String reason, String domain, Map<String, String> metadata,
                              String message, Throwable cause) {
        super(message, cause);
        this.grpcCode = grpcCode;
        this.reason = reason == null ? "" : reason;
        this.domain = domain == null ? "" : domain;
        this.metadata = Map.copyOf(metadata);
    }

    ClearanceException(Details d) {
        this(d.code(), d.reason(), d.domain(), d.metadata(), d.message(), d.cause());
    }

    /** The canonical gRPC status code. */
    public Status.Code grpcCode() {
        return grpcCode;
    }

    /** The ErrorInfo reason, such as {@code ACCESS_DENIED}; empty when the server sent none. */
    public String reason() {
        return reason;
    }

    /** The ErrorInfo domain, such as {@code router.clearance.dev}; empty when the server sent none. */
    public String domain() {
        return domain;
    }

    /** The ErrorInfo metadata: every value named in the message. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** What one failed call said, read once from the status. */
    record Details(Status.Code code, String reason, String domain, Map<String, String> metadata, String message,
                   List<FieldViolation> violations, Throwable cause) {
    }

    /** Maps a failed call to the typed exception for its code. */
    public static ClearanceException from(StatusRuntimeException e) {
        Status status = e.getStatus();
        var info = ApiError.errorInfo(e);
        List<FieldViolation> violations = ApiError.fieldViolations(e).stream()
                .map(v -> new FieldViolation(v.getField(), v.getDescription()))
                .toList();
        String description = status.getDescription();
        Details d = new Details(status.getCode(), info.map(i -> i.getReason()).orElse(""),
                info.map(i -> i.getDomain()).orElse(""), info.map(i -> i.getMetadataMap()).orElse(Map.of()),
                status.getCode() + (description == null ? "" : ": " + description), violations, e);
        return switch (status.getCode()) {
            case PERMISSION_DENIED -> new AccessDeniedException(d);
            case UNAUTHENTICATED -> new UnauthenticatedException(d);
            case INVALID_ARGUMENT -> new InvalidRequestException(d);
            case NOT_FOUND -> new ModelNotFoundException(d);
            case UNAVAILABLE -> new UnavailableException(d);
            default -> new ClearanceException(d);
        };
    }
}
