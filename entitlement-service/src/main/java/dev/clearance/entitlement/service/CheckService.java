package dev.clearance.entitlement.service;

import com.google.rpc.Code;
import dev.clearance.api.ApiError;
import dev.clearance.api.mapping.CallerMapping;
import dev.clearance.api.mapping.DecisionMapping;
import dev.clearance.common.v1.CallerIdentity;
import dev.clearance.common.v1.ErrorReason;
import dev.clearance.entitlement.v1.CheckRequest;
import dev.clearance.entitlement.v1.CheckResponse;
import dev.clearance.entitlement.validation.CheckRequests;
import dev.clearance.identity.v1.MutinyIdentityServiceGrpc;
import dev.clearance.identity.v1.ResolveCallerRequest;
import dev.clearance.policy.AccessRequest;
import dev.clearance.policy.Decision;
import dev.clearance.policy.Evaluator;
import dev.clearance.policy.InvalidModelNameException;
import dev.clearance.policy.ModelName;
import dev.clearance.policy.ModelNotFoundException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.clearance.entitlement.EntitlementErrors.DOMAIN;
import static dev.clearance.entitlement.EntitlementErrors.invalid;
import static dev.clearance.entitlement.EntitlementErrors.modelNotFound;

/**
 * Decides whether a subject may use a model, with the same evaluator and the same compiled
 * snapshot the routers use. The subject is resolved by identity-service; nothing about who
 * the caller is comes from the request.
 */
@ApplicationScoped
public class CheckService {

    private static final Logger LOG = Logger.getLogger(CheckService.class);

    private final MutinyIdentityServiceGrpc.MutinyIdentityServiceStub identity;
    private final PolicyHolder holder;
    private final PolicyPublisher publisher;
    private final Duration identityTimeout;

    public CheckService(@GrpcClient("identity") MutinyIdentityServiceGrpc.MutinyIdentityServiceStub identity,
                        PolicyHolder holder, PolicyPublisher publisher,
                        @ConfigProperty(name = "clearance.identity.timeout", defaultValue = "5s") Duration identityTimeout) {
        this.identity = identity;
        this.holder = holder;
        this.publisher = publisher;
        this.identityTimeout = identityTimeout;
    }

    public Uni<CheckResponse> check(CheckRequest r) {
        CheckRequests.check(r);
        String model = normalisedModel(r.getModel());
        // Bad or unknown models are answered before spending a call on identity-service.
        return currentPolicy()
                .invoke(policy -> requireKnown(policy, model, r.getModel()))
                .chain(() -> resolve(r.getSubject()))
                .map(caller -> decide(r, caller));
    }

    /** The policy to decide on; loads it when startup could not. */
    public Uni<CurrentPolicy> currentPolicy() {
        CurrentPolicy policy = holder.current();
        if (policy != null) {
            return Uni.createFrom().item(policy);
        }
        return publisher.publishLatest().onFailure().transform(e -> {
            LOG.error("no policy snapshot available", e);
            return ApiError.unavailable(ErrorReason.ERROR_REASON_POLICY_UNAVAILABLE, DOMAIN,
                    "no policy snapshot is available yet").toException();
        });
    }

    private static String normalisedModel(String raw) {
        try {
            return ModelName.normalise(raw);
        } catch (InvalidModelNameException e) {
            throw invalid().violation("model", e.getMessage()).toException();
        }
    }

    private static void requireKnown(CurrentPolicy policy, String model, String requested) {
        if (!policy.compiled().versionIds().contains(model) && !policy.compiled().inputs().aliases().containsKey(model)) {
            throw modelNotFound(requested).toException();
        }
    }

    /** The subject as identity-service resolves it, with this service's errors. */
    Uni<CallerIdentity> resolve(String subject) {
        return identity.withDeadlineAfter(identityTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .resolveCaller(ResolveCallerRequest.newBuilder().setSubject(subject).build())
                .map(response -> response.getCaller())
                .onFailure().transform(e -> identityError(e, subject));
    }

    private CheckResponse decide(CheckRequest r, CallerIdentity caller) {
        // The newest snapshot: identity may have taken a moment, and a directive may have landed.
        CurrentPolicy policy = holder.current();
        Instant now = Instant.now();
        AccessRequest request = new AccessRequest(r.getModel(), !r.getForbidFallback(), now,
                r.getRegionCode().isEmpty() ? null : r.getRegionCode(), false);
        Decision decision;
        try {
            decision = Evaluator.decide(policy.compiled(), CallerMapping.toCaller(caller), request);
        } catch (InvalidModelNameException e) {
            throw invalid().violation("model", e.getMessage()).toException();
        } catch (ModelNotFoundException e) {
            throw modelNotFound(r.getModel()).toException();
        }
        String decisionId = UUID.randomUUID().toString();
        LOG.debugf("check %s: %s %s -> %s (revision %d)", decisionId, r.getSubject(), r.getModel(),
                decision.outcome(), decision.policyRevision());
        return CheckResponse.newBuilder()
                .setDecision(DecisionMapping.toProto(decision, decisionId, now))
                .setCaller(caller)
                .build();
    }

    /** identity-service's answer in this service's terms. */
    static Throwable identityError(Throwable e, String subject) {
        if (!(e instanceof StatusRuntimeException sre)) {
            return e;
        }
        Status.Code code = sre.getStatus().getCode();
        return switch (code) {
            // UNIMPLEMENTED: whatever answers at the configured address is not identity-service.
            case UNAVAILABLE, DEADLINE_EXCEEDED, UNIMPLEMENTED -> {
                LOG.warnf("identity-service unreachable resolving %s: %s", subject, sre.getStatus());
                yield ApiError.unavailable(ErrorReason.ERROR_REASON_IDENTITY_UNAVAILABLE, DOMAIN,
                        "identity-service could not be reached to resolve " + subject).put("subject", subject).toException();
            }
            case NOT_FOUND -> ApiError.notFound(DOMAIN, subject).toException();
            case INVALID_ARGUMENT -> invalid().violation("subject", "identity-service rejected " + subject).toException();
            default -> {
                // Keep identity's verdict (for example a revoked API key) under our domain.
                ErrorReason reason = ApiError.errorInfo(e)
                        .map(info -> reasonOf(info.getReason()))
                        .orElse(ErrorReason.ERROR_REASON_INTERNAL);
                if (reason == ErrorReason.ERROR_REASON_INTERNAL) {
                    String requestId = ApiError.newRequestId();
                    LOG.errorf(e, "request %s: identity-service failed resolving %s", requestId, subject);
                    yield ApiError.internal(DOMAIN, requestId).toException();
                }
                yield ApiError.of(Code.forNumber(code.value()), reason, DOMAIN,
                        "identity-service refused " + subject).put("subject", subject).toException();
            }
        };
    }

    private static ErrorReason reasonOf(String name) {
        try {
            return ErrorReason.valueOf("ERROR_REASON_" + name);
        } catch (IllegalArgumentException e) {
            return ErrorReason.ERROR_REASON_INTERNAL;
        }
    }
}
