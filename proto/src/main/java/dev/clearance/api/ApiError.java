package dev.clearance.api;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.PreconditionFailure;
import dev.clearance.common.v1.ErrorReason;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The one way every Clearance service builds an error: a canonical gRPC code with a
 * {@code google.rpc.Status} carrying exactly one {@link ErrorInfo} (reason from
 * {@link ErrorReason}, domain per service, metadata with every value named in the message)
 * and, for invalid input, a {@link BadRequest} with one field violation per problem.
 *
 * <pre>
 * throw ApiError.invalidArgument(DOMAIN)
 *         .violation("person_id", "must be 1 to 63 lower-case letters, digits or hyphens")
 *         .toException();
 * </pre>
 */
public final class ApiError {

    private final Code code;
    private final ErrorReason reason;
    private final String domain;
    private String message;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final List<BadRequest.FieldViolation> violations = new ArrayList<>();
    private final List<PreconditionFailure.Violation> preconditions = new ArrayList<>();

    private ApiError(Code code, ErrorReason reason, String domain, String message) {
        this.code = code;
        this.reason = reason;
        this.domain = domain;
        this.message = message;
    }

    public static ApiError of(Code code, ErrorReason reason, String domain, String message) {
        return new ApiError(code, reason, domain, message);
    }

    /** INVALID_ARGUMENT / FIELD_INVALID; add violations, the message is built from them. */
    public static ApiError invalidArgument(String domain) {
        return new ApiError(Code.INVALID_ARGUMENT, ErrorReason.ERROR_REASON_FIELD_INVALID, domain, null);
    }

    public static ApiError notFound(String domain, String resourceName) {
        return new ApiError(Code.NOT_FOUND, ErrorReason.ERROR_REASON_RESOURCE_NOT_FOUND, domain,
                resourceName + " does not exist").put("resource", resourceName);
    }

    public static ApiError alreadyExists(String domain, String resourceName) {
        return new ApiError(Code.ALREADY_EXISTS, ErrorReason.ERROR_REASON_RESOURCE_ALREADY_EXISTS, domain,
                resourceName + " already exists").put("resource", resourceName);
    }

    public static ApiError unauthenticated(ErrorReason reason, String domain, String message) {
        return new ApiError(Code.UNAUTHENTICATED, reason, domain, message);
    }

    public static ApiError unavailable(ErrorReason reason, String domain, String message) {
        return new ApiError(Code.UNAVAILABLE, reason, domain, message);
    }

    /** INTERNAL with a fresh request id only: no driver, SQL or stack text ever reaches a caller. */
    public static ApiError internal(String domain, String requestId) {
        return new ApiError(Code.INTERNAL, ErrorReason.ERROR_REASON_INTERNAL, domain,
                "internal error; quote request id " + requestId).put("request_id", requestId);
    }

    public static String newRequestId() {
        return UUID.randomUUID().toString();
    }

    public ApiError put(String key, String value) {
        metadata.put(key, value == null ? "" : value);
        return this;
    }

    public ApiError violation(String field, String description) {
        violations.add(BadRequest.FieldViolation.newBuilder().setField(field).setDescription(description).build());
        return this;
    }

    /** A PreconditionFailure violation (FAILED_PRECONDITION), one per thing in the way. */
    public ApiError precondition(String type, String subject, String description) {
        preconditions.add(PreconditionFailure.Violation.newBuilder()
                .setType(type).setSubject(subject).setDescription(description).build());
        return this;
    }

    public boolean hasViolations() {
        return !violations.isEmpty();
    }

    /** Throws when any violation was added; for validators that collect every problem first. */
    public void throwIfViolations() {
        if (hasViolations()) {
            throw toException();
        }
    }

    /** The ErrorInfo reason string: the enum value name without its {@code ERROR_REASON_} prefix. */
    public static String reasonName(ErrorReason reason) {
        return reason.name().substring("ERROR_REASON_".length());
    }

    public StatusRuntimeException toException() {
        String text = message;
        if (text == null) {
            StringBuilder sb = new StringBuilder("invalid request:");
            for (BadRequest.FieldViolation v : violations) {
                sb.append(' ').append(v.getField()).append(": ").append(v.getDescription()).append(';');
            }
            text = sb.substring(0, sb.length() - 1);
        }
        ErrorInfo info = ErrorInfo.newBuilder()
                .setReason(reasonName(reason))
                .setDomain(domain)
                .putAllMetadata(metadata)
                .build();
        com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
                .setCode(code.getNumber())
                .setMessage(text)
                .addDetails(Any.pack(info));
        if (!violations.isEmpty()) {
            status.addDetails(Any.pack(BadRequest.newBuilder().addAllFieldViolations(violations).build()));
        }
        if (!preconditions.isEmpty()) {
            status.addDetails(Any.pack(PreconditionFailure.newBuilder().addAllViolations(preconditions).build()));
        }
        return StatusProto.toStatusRuntimeException(status.build());
    }

    /** Reads the ErrorInfo back from an exception (clients, tests). */
    public static Optional<ErrorInfo> errorInfo(Throwable error) {
        com.google.rpc.Status status = StatusProto.fromThrowable(error);
        if (status == null) {
            return Optional.empty();
        }
        return status.getDetailsList().stream()
                .filter(any -> any.is(ErrorInfo.class))
                .findFirst()
                .map(any -> {
                    try {
                        return any.unpack(ErrorInfo.class);
                    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                        throw new IllegalStateException(e);
                    }
                });
    }

    /** Reads the BadRequest field violations back from an exception (clients, tests). */
    public static List<BadRequest.FieldViolation> fieldViolations(Throwable error) {
        com.google.rpc.Status status = StatusProto.fromThrowable(error);
        if (status == null) {
            return List.of();
        }
        return status.getDetailsList().stream()
                .filter(any -> any.is(BadRequest.class))
                .flatMap(any -> {
                    try {
                        return any.unpack(BadRequest.class).getFieldViolationsList().stream();
                    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toList();
    }

    /** Reads the PreconditionFailure violations back from an exception (clients, tests). */
    public static List<PreconditionFailure.Violation> preconditionViolations(Throwable error) {
        com.google.rpc.Status status = StatusProto.fromThrowable(error);
        if (status == null) {
            return List.of();
        }
        return status.getDetailsList().stream()
                .filter(any -> any.is(PreconditionFailure.class))
                .flatMap(any -> {
                    try {
                        return any.unpack(PreconditionFailure.class).getViolationsList().stream();
                    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toList();
    }

    /** Whether this throwable already is a well-formed Clearance error (one we built). */
    public static boolean isApiError(Throwable error) {
        return error instanceof StatusRuntimeException && errorInfo(error).isPresent();
    }

}
