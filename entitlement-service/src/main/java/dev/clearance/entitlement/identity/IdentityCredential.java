package dev.clearance.entitlement.identity;

import dev.clearance.access.Operator;
import dev.clearance.api.ApiError;
import dev.clearance.common.v1.ErrorReason;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import org.jboss.logging.Logger;

import static dev.clearance.entitlement.EntitlementErrors.DOMAIN;

/**
 * Calls to identity-service's admin RPCs made for an operator carry that operator's bearer token:
 * identity-service checks the operator's own roles and records who listed or looked up persons.
 * entitlement-service never lends its callers rights they do not have.
 */
final class IdentityCredential {

    private static final Logger LOG = Logger.getLogger(IdentityCredential.class);

    private IdentityCredential() {
    }

    /** {@code stub} as {@code caller}; without an operator (cannot happen behind the role check) no token at all. */
    static <S extends AbstractStub<S>> S onBehalf(Operator caller, S stub) {
        return caller == null ? stub : caller.onBehalf(stub);
    }

    /** identity-service refused the operator's credential or role (as opposed to being unreachable). */
    static boolean refused(Throwable e) {
        return e instanceof StatusRuntimeException sre
                && (sre.getStatus().getCode() == Status.Code.PERMISSION_DENIED
                || sre.getStatus().getCode() == Status.Code.UNAUTHENTICATED);
    }

    /** The refusal passed on as this service's own error: the operator may not do {@code what} in identity-service. */
    static Throwable refusal(Throwable e, String what) {
        Status.Code code = ((StatusRuntimeException) e).getStatus().getCode();
        LOG.infof("identity-service refused the operator's credential to %s: %s", what, code);
        if (code == Status.Code.UNAUTHENTICATED) {
            return ApiError.unauthenticated(ErrorReason.ERROR_REASON_CREDENTIAL_INVALID, DOMAIN,
                    "identity-service did not accept your token to " + what).toException();
        }
        return ApiError.of(com.google.rpc.Code.PERMISSION_DENIED, ErrorReason.ERROR_REASON_ROLE_REQUIRED, DOMAIN,
                "identity-service requires a role your token lacks to " + what).toException();
    }
}
