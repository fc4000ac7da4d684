package dev.clearance.router.telemetry;

import dev.clearance.api.ApiError;
import dev.clearance.policy.Decision;
import dev.clearance.policy.Reason;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * What a request's decision leaves behind besides the answer: counters, and attributes on the
 * RPC's span. Span attributes are ids, codes and revisions only (never a person's name, a
 * document number, a credential or a prompt).
 */
@Singleton
public class DecisionTelemetry {

    public static final AttributeKey<String> DECISION_ID = AttributeKey.stringKey("clearance.decision_id");
    public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("clearance.outcome");
    public static final AttributeKey<String> REASON = AttributeKey.stringKey("clearance.reason");
    public static final AttributeKey<Long> POLICY_REVISION = AttributeKey.longKey("clearance.policy_revision");
    public static final AttributeKey<Long> IDENTITY_REVISION = AttributeKey.longKey("clearance.identity_revision");
    public static final AttributeKey<String> REQUESTED_MODEL = AttributeKey.stringKey("clearance.requested_version");
    public static final AttributeKey<String> SERVED_MODEL = AttributeKey.stringKey("clearance.served_version");
    public static final AttributeKey<String> REFUSAL = AttributeKey.stringKey("clearance.refusal");

    private final RouterMetrics metrics;

    @Inject
    public DecisionTelemetry(RouterMetrics metrics) {
        this.metrics = metrics;
    }

    /** {@code span}: the RPC's span, captured when the request started (the decision may land on another thread). */
    public void decided(Span span, String decisionId, Decision decision) {
        metrics.decided(decision);
        if (!span.isRecording()) {
            return;
        }
        Reason primary = decision.primaryReason();
        span.setAttribute(DECISION_ID, decisionId);
        span.setAttribute(OUTCOME, decision.outcome().name());
        span.setAttribute(REASON, primary == null ? RouterMetrics.NONE : primary.code().name());
        span.setAttribute(POLICY_REVISION, decision.policyRevision());
        span.setAttribute(IDENTITY_REVISION, decision.identityRevision());
        span.setAttribute(REQUESTED_MODEL, decision.requestedVersion());
        if (decision.servedModel() != null) {
            span.setAttribute(SERVED_MODEL, decision.servedModel());
        }
    }

    /** A request refused without a decision: counted by its ErrorInfo reason (never the model it named). */
    public void refused(Span span, Throwable failure) {
        String reason = ApiError.errorInfo(failure).map(info -> info.getReason()).filter(r -> !r.isEmpty())
                .orElse("INTERNAL");
        metrics.refused(reason);
        if (span.isRecording()) {
            span.setAttribute(REFUSAL, reason);
            if ("INTERNAL".equals(reason)) {
                span.setStatus(StatusCode.ERROR);
            }
        }
    }
}
