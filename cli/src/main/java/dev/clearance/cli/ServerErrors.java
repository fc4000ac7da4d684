package dev.clearance.cli;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.PreconditionFailure;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prints a refused call the way the services explain it: code, message, the {@code ErrorInfo} reason and
 * metadata, one line per field violation (at its line in the input file when the request came from one) and per
 * precondition failure. Never a stack trace.
 */
public final class ServerErrors {

    private ServerErrors() {
    }

    /** Prints the failure on {@code err} and returns the exit code for it. */
    public static int report(StatusRuntimeException e, PrintWriter err, ProtoFile.Parsed<?> input, String requestField) {
        Status status = e.getStatus();
        String description = status.getDescription();
        if (status.getCode() == Status.Code.UNAVAILABLE && status.getCause() != null && description != null
                && description.startsWith("io exception")) {
            description = "cannot connect (" + status.getCause().getMessage() + ")";
        }
        err.println("error: " + status.getCode() + (description == null ? "" : ": " + description));
        com.google.rpc.Status details = StatusProto.fromThrowable(e);
        if (details != null) {
            for (Any any : details.getDetailsList()) {
                try {
                    if (any.is(ErrorInfo.class)) {
                        ErrorInfo info = any.unpack(ErrorInfo.class);
                        Map<String, String> metadata = new TreeMap<>(info.getMetadataMap());
                        err.println("  reason: " + info.getReason() + (info.getDomain().isEmpty() ? ""
                                : " (" + info.getDomain() + ")") + (metadata.isEmpty() ? "" : " " + metadata));
                    } else if (any.is(BadRequest.class)) {
                        for (BadRequest.FieldViolation v : any.unpack(BadRequest.class).getFieldViolationsList()) {
                            int line = input == null ? 0 : input.lineOf(v.getField(), requestField);
                            err.println("  " + (line > 0 ? input.file() + ":" + line + ": " : "") + v.getField() + ": "
                                    + v.getDescription());
                        }
                    } else if (any.is(PreconditionFailure.class)) {
                        for (PreconditionFailure.Violation v : any.unpack(PreconditionFailure.class).getViolationsList()) {
                            err.println("  " + v.getType() + " " + v.getSubject() + ": " + v.getDescription());
                        }
                    }
                } catch (InvalidProtocolBufferException ignored) {
                    // a detail we cannot read adds nothing for the user
                }
            }
        }
        err.flush();
        return ExitCodes.forStatus(status.getCode());
    }
}
