package dev.clearance.identity.grpc;

import dev.clearance.api.ApiError;
import dev.clearance.common.v1.ErrorReason;
import dev.clearance.identity.ErrorDomain;
import dev.clearance.identity.service.StorageErrors;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.ExceptionHandler;
import io.quarkus.grpc.ExceptionHandlerProvider;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletionException;

/**
 * The one place failures become gRPC errors: errors already built with {@link ApiError} pass
 * through; an unreachable database is UNAVAILABLE STORAGE_UNAVAILABLE; anything else is logged
 * with a fresh request id and answered as INTERNAL carrying only that id (never SQL or stack
 * text).
 */
@ApplicationScoped
public class IdentityExceptionHandlerProvider implements ExceptionHandlerProvider {

    private static final Logger LOG = Logger.getLogger(IdentityExceptionHandlerProvider.class);

    @Override
    public <ReqT, RespT> ExceptionHandler<ReqT, RespT> createHandler(ServerCall.Listener<ReqT> listener,
                                                                      ServerCall<ReqT, RespT> call, Metadata metadata) {
        return new ExceptionHandler<>(listener, call, metadata) {
            @Override
            protected void handleException(Throwable error, ServerCall<ReqT, RespT> serverCall, Metadata headers) {
                StatusRuntimeException mapped = (StatusRuntimeException) transform(error);
                Metadata trailers = mapped.getTrailers() != null ? mapped.getTrailers() : new Metadata();
                try {
                    serverCall.close(mapped.getStatus(), trailers);
                } catch (IllegalStateException alreadyClosed) {
                    LOG.debug("call already closed", alreadyClosed);
                }
            }
        };
    }

    @Override
    public Throwable transform(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (ApiError.isApiError(cause)) {
            return cause;
        }
        if (StorageErrors.isUnavailable(cause)) {
            LOG.warnf("database unavailable: %s", cause.toString());
            return ApiError.unavailable(ErrorReason.ERROR_REASON_STORAGE_UNAVAILABLE, ErrorDomain.IDENTITY,
                    "the identity store is unavailable; try again").toException();
        }
        String requestId = ApiError.newRequestId();
        LOG.errorf(cause, "internal error, request id %s", requestId);
        return ApiError.internal(ErrorDomain.IDENTITY, requestId).toException();
    }
}
