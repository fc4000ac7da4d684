package dev.clearance.entitlement.grpc;

import dev.clearance.api.ApiError;
import dev.clearance.common.v1.ErrorReason;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.ExceptionHandler;
import io.quarkus.grpc.ExceptionHandlerProvider;
import io.smallrye.mutiny.CompositeException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.ConnectException;
import java.util.concurrent.CompletionException;

import static dev.clearance.entitlement.EntitlementErrors.DOMAIN;

/**
 * Turns every failure leaving a gRPC method into a Clearance error: ours pass unchanged; an
 * unreachable datastore becomes UNAVAILABLE STORAGE_UNAVAILABLE; anything else becomes
 * INTERNAL with a request id, logged here with its cause (callers never see SQL or stacks).
 */
@ApplicationScoped
public class ApiErrorMapper implements ExceptionHandlerProvider {

    private static final Logger LOG = Logger.getLogger(ApiErrorMapper.class);

    @Override
    public <Q, R> ExceptionHandler<Q, R> createHandler(ServerCall.Listener<Q> listener, ServerCall<Q, R> call,
                                                       Metadata metadata) {
        return new ExceptionHandler<>(listener, call, metadata) {
            @Override
            protected void handleException(Throwable failure, ServerCall<Q, R> serverCall, Metadata md) {
                StatusRuntimeException e = toStatus(failure);
                try {
                    serverCall.close(e.getStatus(), e.getTrailers() == null ? new Metadata() : e.getTrailers());
                } catch (IllegalStateException alreadyClosed) {
                    // the call ended first (client cancelled); nothing left to tell it
                }
            }
        };
    }

    @Override
    public Throwable transform(Throwable failure) {
        return toStatus(failure);
    }

    static StatusRuntimeException toStatus(Throwable failure) {
        Throwable t = unwrap(failure);
        if (ApiError.isApiError(t)) {
            return (StatusRuntimeException) t;
        }
        Status.Code code = t instanceof StatusRuntimeException sre ? sre.getStatus().getCode()
                : t instanceof StatusException se ? se.getStatus().getCode() : null;
        if (code == Status.Code.CANCELLED) {
            return Status.CANCELLED.asRuntimeException();
        }
        if (causedBy(t, ConnectException.class) || causedBy(t, io.vertx.sqlclient.ClosedConnectionException.class)) {
            LOG.warn("datastore unreachable", t);
            return ApiError.unavailable(ErrorReason.ERROR_REASON_STORAGE_UNAVAILABLE, DOMAIN,
                    "the datastore is unreachable; nothing was written").toException();
        }
        String requestId = ApiError.newRequestId();
        LOG.errorf(t, "request %s failed", requestId);
        return ApiError.internal(DOMAIN, requestId).toException();
    }

    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof CompletionException || current instanceof CompositeException)
                && current.getCause() != null) {
            current = current instanceof CompositeException c ? c.getCauses().get(0) : current.getCause();
        }
        return current;
    }

    private static boolean causedBy(Throwable t, Class<?> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
