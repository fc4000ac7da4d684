package dev.clearance.sdk;

import dev.clearance.common.v1.Decision;
import dev.clearance.router.v1.ListModelsResponse;
import dev.clearance.router.v1.ModelAccess;

import java.time.Instant;
import java.util.List;

/** Protobuf → SDK values; the only place that sees the wire types. */
final class Wire {

    private Wire() {
    }

    static AccessDecision decision(Decision d) {
        return new AccessDecision(d.getDecisionId(), outcome(d.getOutcome()), d.getRequestedModel().getRequested(),
                d.getRequestedModel().getVersion(), d.getRequestedModel().getFamily(), d.getServedModel(),
                reasons(d.getReasonsList()), reasons(d.getShadowReasonsList()), d.getPolicyRevision(),
                d.getIdentityRevision(),
                d.hasDecideTime() ? Instant.ofEpochSecond(d.getDecideTime().getSeconds(), d.getDecideTime().getNanos())
                        : null);
    }

    static Outcome outcome(dev.clearance.common.v1.Outcome o) {
        return switch (o) {
            case OUTCOME_ALLOW -> Outcome.ALLOW;
            case OUTCOME_DENY -> Outcome.DENY;
            case OUTCOME_ALLOW_FALLBACK -> Outcome.ALLOW_FALLBACK;
            default -> Outcome.UNKNOWN;
        };
    }

    static List<Reason> reasons(List<dev.clearance.common.v1.Reason> reasons) {
        return reasons.stream()
                .map(r -> new Reason(ReasonCode.parse(r.getCode().name()), r.getModel(), r.getDirective(),
                        r.getCitation(), r.getMessage()))
                .toList();
    }

    static ModelAccessInfo model(ModelAccess m) {
        return new ModelAccessInfo(m.getModel(), m.getFamily(), m.getAllowed(), reasons(m.getReasonsList()),
                m.getFallbackModel());
    }

    static ModelList models(ListModelsResponse r) {
        return new ModelList(r.getModelsList().stream().map(Wire::model).toList(), r.getPolicyRevision(),
                r.getIdentityRevision());
    }
}
