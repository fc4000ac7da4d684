package dev.clearance.entitlement;

import com.google.rpc.Code;
import dev.clearance.api.ApiError;
import dev.clearance.common.v1.ErrorReason;

/** The ErrorInfo domain of this service and the errors its use cases raise beyond ApiError's own. */
public final class EntitlementErrors {
    public static final String DOMAIN = "entitlement.clearance.dev";

    private EntitlementErrors() {
    }

    public static ApiError invalid() {
        return ApiError.invalidArgument(DOMAIN);
    }

    public static ApiError notFound(String resourceName) {
        return ApiError.notFound(DOMAIN, resourceName);
    }

    public static ApiError alreadyExists(String resourceName) {
        return ApiError.alreadyExists(DOMAIN, resourceName);
    }

    public static ApiError failedPrecondition(String message) {
        return ApiError.of(Code.FAILED_PRECONDITION, ErrorReason.ERROR_REASON_FAILED_PRECONDITION, DOMAIN, message);
    }

    public static ApiError modelNotFound(String model) {
        return ApiError.of(Code.NOT_FOUND, ErrorReason.ERROR_REASON_MODEL_NOT_FOUND, DOMAIN,
                "model " + model + " is not in the catalogue").put("model", model);
    }
}
