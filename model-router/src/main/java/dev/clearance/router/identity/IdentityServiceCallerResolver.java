package dev.clearance.router.identity;

import com.google.rpc.ErrorInfo;
import dev.clearance.api.ApiError;
import dev.clearance.common.v1.CallerIdentity;
import dev.clearance.common.v1.ErrorReason;
import dev.clearance.identity.v1.MutinyIdentityServiceGrpc;
import dev.clearance.identity.v1.ResolveCallerRequest;
import dev.clearance.router.auth.Credential;
import dev.clearance.router.service.RouterErrors;
import io.grpc.Context;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Asks identity-service {@code ResolveCaller}. Its UNAUTHENTICATED answers pass through with
 * the same reason; any other failure (unreachable, deadline, internal) becomes UNAVAILABLE
 * IDENTITY_UNAVAILABLE, so an identity outage always denies and never allows.
 */
@ApplicationScoped
public class IdentityServiceCallerResolver implements CallerResolver {

    private static final Logger LOG = Logger.getLogger(IdentityServiceCallerResolver.class);

    @GrpcClient("identity")
    MutinyIdentityServiceGrpc.MutinyIdentityServiceStub identity;

    @ConfigProperty(name = "clearance.router.identity-deadline", defaultValue = "2s")
    Duration deadline;

    private volatile boolean outage;

    @Override
    public Uni<CallerIdentity> resolve(Credential credential) {
        ResolveCallerRequest.Builder request = ResolveCallerRequest.newBuilder();
        switch (credential.kind()) {
            case BEARER_TOKEN -> request.setBearerToken(credential.secret());
            case API_KEY -> request.setApiKey(credential.secret());
        }
        // A resolution may be shared by concurrent requests through the cache, so it must not
        // inherit (and be cancelled with) the one server call that happened to start it.
        // The stub's Uni is lazy: subscribe under ROOT so the call is created there.
        return Uni.createFrom().completionStage(() -> {
                    Context previous = Context.ROOT.attach();
                    try {
                        return identity.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                                .resolveCaller(request.build())
                                .subscribeAsCompletionStage();
                    } finally {
                        Context.ROOT.detach(previous);
                    }
                })
                .onItem().transform(response -> {
                    if (!response.hasCaller()) {
                        throw unavailable("identity-service answered without a caller");
                    }
                    return response.getCaller();
                })
                .onItem().invoke(this::reachable)
                .onFailure().transform(IdentityServiceCallerResolver::translate)
                .onFailure().invoke(this::unreachable);
    }

    // One warning per outage, not one per refused request.
    private void unreachable(Throwable failure) {
        if (Status.fromThrowable(failure).getCode() != Status.Code.UNAVAILABLE) {
            return;
        }
        if (!outage) {
            outage = true;
            LOG.warnf("identity-service is unreachable or failing (%s); requests are refused until it answers",
                    failure.getMessage());
        } else {
            LOG.debugf("identity-service still failing: %s", failure.getMessage());
        }
    }

    private void reachable(CallerIdentity ignored) {
        if (outage) {
            outage = false;
            LOG.info("identity-service answers again");
        }
    }

    static Throwable translate(Throwable failure) {
        if (ApiError.errorInfo(failure).map(i -> RouterErrors.DOMAIN.equals(i.getDomain())).orElse(false)) {
            return failure; // raised here, already in the router's terms
        }
        Status status = Status.fromThrowable(failure);
        switch (status.getCode()) {
            case UNAUTHENTICATED -> {
                ErrorReason reason = ApiError.errorInfo(failure).map(ErrorInfo::getReason)
                        .map(IdentityServiceCallerResolver::reasonOf)
                        .orElse(ErrorReason.ERROR_REASON_CREDENTIAL_INVALID);
                String message = status.getDescription() == null ? "the credential was not accepted"
                        : status.getDescription();
                ApiError error = ApiError.unauthenticated(reason, RouterErrors.DOMAIN, message);
                // Keep identity-service's metadata: its message may name those values.
                ApiError.errorInfo(failure).ifPresent(info -> info.getMetadataMap().forEach(error::put));
                return error.toException();
            }
            case INVALID_ARGUMENT -> {
                // identity-service could not even parse the credential.
                return ApiError.unauthenticated(ErrorReason.ERROR_REASON_CREDENTIAL_INVALID, RouterErrors.DOMAIN,
                        "the credential is malformed").toException();
            }
            default -> {
                LOG.debugf("identity-service ResolveCaller failed with %s", status.getCode());
                return ApiError.unavailable(ErrorReason.ERROR_REASON_IDENTITY_UNAVAILABLE, RouterErrors.DOMAIN,
                                "identity-service is unavailable (" + status.getCode() + "); the request is refused")
                        .put("upstream_code", status.getCode().name())
                        .toException();
            }
        }
    }

    private static ErrorReason reasonOf(String name) {
        try {
            ErrorReason reason = ErrorReason.valueOf("ERROR_REASON_" + name);
            return reason == ErrorReason.ERROR_REASON_UNSPECIFIED ? ErrorReason.ERROR_REASON_CREDENTIAL_INVALID
                    : reason;
        } catch (IllegalArgumentException e) {
            return ErrorReason.ERROR_REASON_CREDENTIAL_INVALID;
        }
    }

    private static RuntimeException unavailable(String message) {
        return ApiError.unavailable(ErrorReason.ERROR_REASON_IDENTITY_UNAVAILABLE, RouterErrors.DOMAIN, message)
                .toException();
    }
}
