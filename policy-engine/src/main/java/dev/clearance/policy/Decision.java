package dev.clearance.policy;

import java.util.List;

/**
 * The result of one evaluation. The decision id is the caller's to assign (the engine does
 * no I/O and keeps no state).
 *
 * @param requestedModel   the name as sent
 * @param requestedVersion canonical version id after normalisation and alias resolution
 * @param servedModel      the version that serves, or null on DENY
 * @param reasons          ordered: why the requested version was refused (primary first), then
 *                         through what the served version is allowed
 * @param shadowReasons    shadow directives that would have denied
 */
public record Decision(
        Outcome outcome,
        String requestedModel,
        String requestedVersion,
        String family,
        String servedModel,
        List<Reason> reasons,
        List<Reason> shadowReasons,
        long policyRevision,
        long identityRevision) {

    /** The reason that explains the outcome: the first refusal, or for ALLOW the entitlement. */
    public Reason primaryReason() {
        return reasons.isEmpty() ? null : reasons.get(0);
    }
}
