package dev.clearance.router.service;

import dev.clearance.api.ApiError;
import io.grpc.StatusRuntimeException;
import org.jboss.logging.Logger;

/** The router's error domain, and the last line that turns any failure into a well-formed gRPC error. */
public final class RouterErrors {

    /** ErrorInfo domain of every error the router raises. */
    public static final String DOMAIN = "router.clearance.dev";

    private static final Logger LOG = Logger.getLogger(RouterErrors.class);

    private RouterErrors() {
    }

    /**
     * Errors built with {@link ApiError} pass unchanged; anything else is unexpected and becomes
     * INTERNAL with a fresh request id (the cause is logged under that id, never sent).
     */
    public static Throwable toStatus(Throwable failure) {
        if (failure instanceof StatusRuntimeException && ApiError.isApiError(failure)) {
            return failure;
        }
        String requestId = ApiError.newRequestId();
        LOG.errorf(failure, "unexpected failure, request id %s", requestId);
        return ApiError.internal(DOMAIN, requestId).toException();
    }
}
