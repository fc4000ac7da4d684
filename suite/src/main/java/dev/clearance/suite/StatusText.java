package dev.clearance.suite;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.Status;
import io.grpc.protobuf.StatusProto;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads the google.rpc.Status details Clearance services attach to every error. */
public final class StatusText {

    private StatusText() {
    }

    public static List<ErrorInfo> errorInfos(Throwable t) {
        return details(t, ErrorInfo.class);
    }

    public static Optional<ErrorInfo> errorInfo(Throwable t) {
        return errorInfos(t).stream().findFirst();
    }

    public static List<BadRequest.FieldViolation> fieldViolations(Throwable t) {
        List<BadRequest.FieldViolation> all = new ArrayList<>();
        details(t, BadRequest.class).forEach(b -> all.addAll(b.getFieldViolationsList()));
        return all;
    }

    /** {@code CODE: message [reason domain {metadata}] [field: problem, ...]}, for logs and failure messages. */
    public static String describe(Throwable t) {
        io.grpc.Status status = io.grpc.Status.fromThrowable(t);
        StringBuilder b = new StringBuilder(status.getCode().name());
        if (status.getDescription() != null) {
            b.append(": ").append(status.getDescription());
        }
        errorInfos(t).forEach(i -> b.append(" [").append(i.getReason()).append(' ').append(i.getDomain())
                .append(' ').append(i.getMetadataMap()).append(']'));
        fieldViolations(t).forEach(v -> b.append(" [").append(v.getField()).append(": ").append(v.getDescription())
                .append(']'));
        return b.toString();
    }

    private static <T extends com.google.protobuf.Message> List<T> details(Throwable t, Class<T> type) {
        Status status = StatusProto.fromThrowable(t);
        List<T> out = new ArrayList<>();
        if (status == null) {
            return out;
        }
        for (Any any : status.getDetailsList()) {
            if (any.is(type)) {
                try {
                    out.add(any.unpack(type));
                } catch (InvalidProtocolBufferException e) {
                    throw new IllegalStateException("undecodable " + type.getSimpleName() + " in a status", e);
                }
            }
        }
        return out;
    }
}
