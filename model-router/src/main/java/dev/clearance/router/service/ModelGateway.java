package dev.clearance.router.service;

import com.google.rpc.Code;
import dev.clearance.api.ApiError;
import dev.clearance.common.v1.ErrorReason;
import dev.clearance.policy.Reason;
import dev.clearance.router.auth.Credential;
import dev.clearance.router.backend.ModelBackend;
import dev.clearance.router.history.DecisionHistory;
import dev.clearance.router.v1.GenerateResponse;
import dev.clearance.router.v1.StreamGenerateResponse;
import dev.clearance.router.telemetry.DecisionLogContext;
import io.grpc.StatusRuntimeException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Decide, then call the backend with the version the decision serves (never the name the
 * caller typed). A DENY never reaches a backend: it is PERMISSION_DENIED / ACCESS_DENIED.
 */
@ApplicationScoped
public class ModelGateway {

    private static final Logger LOG = Logger.getLogger(ModelGateway.class);

    @Inject
    AccessDecider decider;

    @Inject
    ModelBackend backend;

    @Inject
    OpenStreams streams;

    @Inject
    DecisionHistory history;

    /** Decides (at once when the caller is cached), then calls the backend. Call inside a deferred Uni: it may throw. */
    public Uni<GenerateResponse> generate(Credential credential, String model, String prompt, boolean forbidFallback) {
        AccessDecider.Decided now = decider.decideNow(credential, model, !forbidFallback);
        if (now != null) {
            record(now, forbidFallback);
            return generate(now, prompt);
        }
        return decider.decide(credential, model, !forbidFallback)
                .invoke(decided -> record(decided, forbidFallback))
                .flatMap(decided -> generate(decided, prompt));
    }

    private Uni<GenerateResponse> generate(AccessDecider.Decided decided, String prompt) {
        String served = servedOrDeny(decided);
        return backend.generate(served, prompt)
                .onFailure().transform(e -> backendUnavailable(decided, e))
                .map(output -> GenerateResponse.newBuilder()
                        .setDecision(decided.proto())
                        .setServedModel(served)
                        .setOutput(output)
                        .build());
    }

    public Multi<StreamGenerateResponse> stream(Credential credential, String model, String prompt,
                                                boolean forbidFallback) {
        return decider.decide(credential, model, !forbidFallback)
                .invoke(decided -> record(decided, forbidFallback))
                .onItem().transformToMulti(decided -> {
                    String served = servedOrDeny(decided);
                    Multi<StreamGenerateResponse> first = Multi.createFrom()
                            .item(StreamGenerateResponse.newBuilder().setDecision(decided.proto()).build());
                    // Registered while it runs: a policy change that refuses the served version ends it.
                    Multi<StreamGenerateResponse> text = streams.guard(decided, backend.stream(served, prompt)
                            .onFailure().transform(e -> backendUnavailable(decided, e))
                            .map(chunk -> StreamGenerateResponse.newBuilder().setText(chunk).build()));
                    return Multi.createBy().concatenating().streams(first, text);
                });
    }

    /** Counted for the impact preview's request history (a map increment; see {@link DecisionHistory}). */
    private void record(AccessDecider.Decided decided, boolean forbidFallback) {
        history.record(decided.identity(), decided.decision(), !forbidFallback);
    }

    private static String servedOrDeny(AccessDecider.Decided decided) {
        if (decided.allowed()) {
            return decided.decision().servedModel();
        }
        throw denied(decided);
    }

    /** PERMISSION_DENIED with ErrorInfo ACCESS_DENIED; every value the message names is in the metadata. */
    static StatusRuntimeException denied(AccessDecider.Decided decided) {
        Reason primary = decided.decision().primaryReason();
        String model = decided.decision().requestedVersion();
        String code = primary == null ? "UNSPECIFIED" : primary.code().name();
        String directive = primary == null || primary.directive() == null ? "" : primary.directive();
        String citation = primary == null || primary.citation() == null ? "" : primary.citation();
        StringBuilder message = new StringBuilder("access to ").append(model).append(" denied: ").append(code);
        if (!directive.isEmpty()) {
            message.append(" under ").append(directive);
            if (!citation.isEmpty()) {
                message.append(" (").append(citation).append(')');
            }
        }
        message.append("; decision ").append(decided.decisionId());
        return ApiError.of(Code.PERMISSION_DENIED, ErrorReason.ERROR_REASON_ACCESS_DENIED, RouterErrors.DOMAIN,
                        message.toString())
                .put("decision_id", decided.decisionId())
                .put("reason_code", code)
                .put("directive", directive)
                .put("citation", citation)
                .put("model", model)
                .toException();
    }

    private static Throwable backendUnavailable(AccessDecider.Decided decided, Throwable cause) {
        if (ApiError.isApiError(cause)) {
            return cause;
        }
        try (DecisionLogContext ignored = DecisionLogContext.of(decided.decisionId())) {
            LOG.warnf(cause, "backend failed for decision %s (model %s)", decided.decisionId(),
                    decided.decision().servedModel());
        }
        return ApiError.unavailable(ErrorReason.ERROR_REASON_BACKEND_UNAVAILABLE, RouterErrors.DOMAIN,
                        "the backend for " + decided.decision().servedModel() + " is unavailable; decision "
                                + decided.decisionId())
                .put("model", decided.decision().servedModel())
                .put("decision_id", decided.decisionId())
                .toException();
    }
}
