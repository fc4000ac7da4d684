package dev.clearance.api.mapping;

import dev.clearance.common.v1.ModelReference;
import dev.clearance.common.v1.Outcome;
import dev.clearance.common.v1.Reason;
import dev.clearance.common.v1.ReasonCode;
import dev.clearance.policy.Decision;

import java.time.Instant;

/** Engine decisions to the wire. */
public final class DecisionMapping {
    private DecisionMapping() {
    }

    public static dev.clearance.common.v1.Decision toProto(Decision d, String decisionId, Instant decideTime) {
        var b = dev.clearance.common.v1.Decision.newBuilder()
                .setDecisionId(decisionId)
                .setOutcome(outcome(d.outcome()))
                .setRequestedModel(ModelReference.newBuilder()
                        .setRequested(d.requestedModel())
                        .setVersion(d.requestedVersion())
                        .setFamily(d.family()))
                .setPolicyRevision(d.policyRevision())
                .setIdentityRevision(d.identityRevision())
                .setDecideTime(Timestamps.toTimestamp(decideTime));
        if (d.servedModel() != null) {
            b.setServedModel(d.servedModel());
        }
        d.reasons().forEach(r -> b.addReasons(toProto(r)));
        d.shadowReasons().forEach(r -> b.addShadowReasons(toProto(r)));
        return b.build();
    }

    /** As above, with where the request came from (see {@code RequestLocation}); null leaves it unset. */
    public static dev.clearance.common.v1.Decision toProto(Decision d, String decisionId, Instant decideTime,
                                                           dev.clearance.common.v1.RequestLocation location) {
        var decision = toProto(d, decisionId, decideTime);
        return location == null ? decision : decision.toBuilder().setRequestLocation(location).build();
    }

    public static Reason toProto(dev.clearance.policy.Reason r) {
        var b = Reason.newBuilder().setCode(code(r.code())).setModel(r.model()).setMessage(r.message());
        if (r.directive() != null) {
            b.setDirective(r.directive());
        }
        if (r.citation() != null) {
            b.setCitation(r.citation());
        }
        if (r.carveOut() != null) {
            b.setCarveOut(r.carveOut());
        }
        return b.build();
    }

    public static ReasonCode code(dev.clearance.policy.ReasonCode code) {
        return ReasonCode.valueOf("REASON_CODE_" + code.name());
    }

    public static Outcome outcome(dev.clearance.policy.Outcome outcome) {
        return Outcome.valueOf("OUTCOME_" + outcome.name());
    }
}
