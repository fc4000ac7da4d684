package dev.clearance.sdk;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An access decision with everything needed to explain and audit it.
 *
 * @param decisionId       unique per decision (quote it to support and auditors)
 * @param outcome          ALLOW, DENY or ALLOW_FALLBACK
 * @param requestedModel   the model name as sent
 * @param resolvedModel    the canonical version it resolved to (aliases and spellings normalised)
 * @param family           the model family
 * @param servedModel      the version that serves; empty when the outcome is DENY
 * @param reasons          ordered: why the requested model was refused (if it was), then why the served one was allowed
 * @param shadowReasons    shadow directives that would have denied; they never change the outcome
 * @param policyRevision   the policy snapshot the router decided on
 * @param identityRevision the caller's identity revision
 * @param decideTime       when the router decided (null if not sent)
 */
public record AccessDecision(String decisionId, Outcome outcome, String requestedModel, String resolvedModel,
                             String family, String servedModel, List<Reason> reasons, List<Reason> shadowReasons,
                             long policyRevision, long identityRevision, Instant decideTime) {

    public AccessDecision {
        reasons = List.copyOf(reasons);
        shadowReasons = List.copyOf(shadowReasons);
    }

    public boolean allowed() {
        return outcome == Outcome.ALLOW || outcome == Outcome.ALLOW_FALLBACK;
    }

    /** Whether an older version serves because the requested one was refused. */
    public boolean fellBack() {
        return outcome == Outcome.ALLOW_FALLBACK;
    }

    /** The first reason: for a refusal or fallback, why the requested model was refused. */
    public Optional<Reason> primaryReason() {
        return reasons.isEmpty() ? Optional.empty() : Optional.of(reasons.get(0));
    }
}
