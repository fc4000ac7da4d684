package dev.clearance.access;

import com.google.rpc.Code;
import dev.clearance.api.ApiError;
import dev.clearance.common.v1.ErrorReason;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.Prioritized;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.Map;

/**
 * Authenticates and authorises every call of a Clearance gRPC service before the service sees it:
 * the method's {@link MethodAccess} from the service's {@link AccessPolicy}; for a role-protected
 * method the bearer token is verified once (non-blocking; the call is held, not a thread) and the
 * caller must hold one of the roles. No or invalid token: UNAUTHENTICATED; valid token without the
 * role: PERMISSION_DENIED ROLE_REQUIRED. Both happen before the request message is even read, so
 * neither can depend on (or reveal) whether a named resource exists. The verified {@link Operator}
 * is then available to the service through {@link Operator#current()}.
 *
 * <p>Calls to services without a policy (gRPC health, reflection) pass; a method of a Clearance
 * service ({@code clearance.*}) without an entry is refused, so a new RPC is closed until someone
 * decides who may call it.
 */
@ApplicationScoped
@GlobalInterceptor
public class AccessInterceptor implements ServerInterceptor, Prioritized {

    private static final Logger LOG = Logger.getLogger(AccessInterceptor.class);
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String BEARER = "bearer ";
    private static final String CLEARANCE_SERVICES = "clearance.";

    private final AccessTokenVerifier verifier;
    private final Map<String, AccessPolicy> policies = new HashMap<>();

    @Inject
    public AccessInterceptor(AccessTokenVerifier verifier, Instance<AccessPolicy> policies) {
        this.verifier = verifier;
        for (AccessPolicy policy : policies) {
            this.policies.put(policy.service().getName(), policy);
        }
    }

    /** Outside the service's own interceptors, inside Quarkus's context set-up. */
    @Override
    public int getPriority() {
        return 1000;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String serviceName = call.getMethodDescriptor().getServiceName();
        AccessPolicy policy = serviceName == null ? null : policies.get(serviceName);
        if (policy == null) {
            if (serviceName != null && serviceName.startsWith(CLEARANCE_SERVICES)) {
                LOG.errorf("no access policy for %s: refused", call.getMethodDescriptor().getFullMethodName());
                return refuse(call, noRule(call, fallbackDomain()));
            }
            return next.startCall(call, headers);
        }
        String method = call.getMethodDescriptor().getFullMethodName();
        MethodAccess access = policy.access(method);
        if (access == null) {
            LOG.errorf("no role table entry for %s: refused", method);
            return refuse(call, noRule(call, policy.errorDomain()));
        }
        if (access.networkOnly()) {
            return next.startCall(call, headers);
        }
        String authorization = headers.get(AUTHORIZATION);
        if (authorization == null || authorization.isBlank()) {
            return refuse(call, ApiError.unauthenticated(ErrorReason.ERROR_REASON_CREDENTIAL_MISSING, policy.errorDomain(),
                            "this call needs a bearer token (authorization: Bearer <token>) with one of the roles "
                                    + access.describeRoles())
                    .put("required_roles", access.describeRoles()).toException());
        }
        if (authorization.length() <= BEARER.length() || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return refuse(call, ApiError.unauthenticated(ErrorReason.ERROR_REASON_CREDENTIAL_INVALID, policy.errorDomain(),
                    "the authorization header must be \"Bearer <token>\"").toException());
        }
        String token = authorization.substring(BEARER.length()).strip();
        Context callContext = Context.current();
        HeldCall<Q> held = new HeldCall<>();
        verifier.verify(token, policy.errorDomain()).subscribe().with(
                verified -> {
                    if (!access.allows(verified.roles())) {
                        held.drop();
                        close(call, ApiError.of(Code.PERMISSION_DENIED, ErrorReason.ERROR_REASON_ROLE_REQUIRED,
                                        policy.errorDomain(), "this call needs one of the roles " + access.describeRoles()
                                                + "; the caller " + verified.subject() + " has none of them")
                                .put("required_roles", access.describeRoles())
                                .put("subject", verified.subject())
                                .toException());
                        return;
                    }
                    Context authorised = callContext.withValue(Operator.KEY, Operator.of(verified, token));
                    held.release(Contexts.interceptCall(authorised, call, headers, next));
                },
                failure -> {
                    held.drop();
                    close(call, failure instanceof StatusRuntimeException e && ApiError.isApiError(e) ? e
                            : unexpected(policy.errorDomain(), failure));
                });
        return held;
    }

    private static StatusRuntimeException noRule(ServerCall<?, ?> call, String domain) {
        String method = call.getMethodDescriptor().getFullMethodName();
        return ApiError.of(Code.PERMISSION_DENIED, ErrorReason.ERROR_REASON_ACCESS_DENIED,
                        domain, "no role is allowed to call " + method + " yet")
                .put("method", method).toException();
    }

    /** A Clearance service this process serves without a policy: answer in a domain of this process. */
    private String fallbackDomain() {
        return policies.isEmpty() ? "clearance.dev" : policies.values().iterator().next().errorDomain();
    }

    private static StatusRuntimeException unexpected(String domain, Throwable failure) {
        String requestId = ApiError.newRequestId();
        LOG.errorf(failure, "token verification failed unexpectedly, request id %s", requestId);
        return ApiError.internal(domain, requestId).toException();
    }

    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, StatusRuntimeException error) {
        close(call, error);
        return new ServerCall.Listener<>() {
        };
    }

    private static void close(ServerCall<?, ?> call, StatusRuntimeException error) {
        Metadata trailers = error.getTrailers() != null ? error.getTrailers() : new Metadata();
        try {
            call.close(error.getStatus(), trailers);
        } catch (IllegalStateException alreadyClosed) {
            LOG.debug("call already closed (cancelled by the client)", alreadyClosed);
        }
    }
}
