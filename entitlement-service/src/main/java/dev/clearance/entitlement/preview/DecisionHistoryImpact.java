package dev.clearance.entitlement.preview;

import dev.clearance.policy.AccessRequest;
import dev.clearance.policy.Caller;
import dev.clearance.policy.Decision;
import dev.clearance.policy.Evaluator;
import dev.clearance.policy.InvalidModelNameException;
import dev.clearance.policy.ModelNotFoundException;
import dev.clearance.policy.Outcome;
import dev.clearance.policy.PolicySnapshot;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a directive would have done to the requests of the decision history: each stored
 * (caller, requested model, fallback flag) is decided with the same {@link Evaluator} on the
 * current snapshot and on the snapshot with the directive enforced, times the number of requests.
 * A request counts as denied when it is served now and would be refused, as downgraded when it
 * would be served an older version. Callers are taken from the preview's population, as
 * identity-service lists them now; a caller it no longer lists, or a model no longer in the
 * catalogue, is not replayed and is counted as such ({@link Result#notReplayed}). Pure: no I/O.
 */
public final class DecisionHistoryImpact {
    private DecisionHistoryImpact() {
    }

    /** One stored group of requests. */
    public record Requests(String caller, String model, boolean fallbackAllowed, long count) {
    }

    /** @param replayed requests decided on both snapshots; notReplayed requests whose caller or model is gone */
    public record Result(long denied, long downgraded, long replayed, long notReplayed) {
    }

    public static Result compute(PolicySnapshot current, PolicySnapshot withDirective, Population population,
                                 List<Requests> history, Instant now) {
        Map<String, Caller> callers = new HashMap<>(
                (population.persons().size() + population.organisationKeys().size()) * 2);
        for (Caller c : population.organisationKeys()) {
            callers.put(c.organisation(), c);
        }
        for (Caller c : population.persons()) {
            callers.put(c.person(), c);
        }
        long denied = 0;
        long downgraded = 0;
        long replayed = 0;
        long notReplayed = 0;
        for (Requests r : history) {
            Caller caller = callers.get(r.caller());
            if (caller == null) {
                notReplayed += r.count();
                continue;
            }
            AccessRequest request = new AccessRequest(r.model(), r.fallbackAllowed(), now, null, false);
            Decision before;
            Decision after;
            try {
                before = Evaluator.decide(current, caller, request);
                after = Evaluator.decide(withDirective, caller, request);
            } catch (ModelNotFoundException | InvalidModelNameException e) {
                notReplayed += r.count();
                continue;
            }
            replayed += r.count();
            if (before.outcome() == Outcome.DENY || before.servedModel() == null) {
                continue; // refused already: the directive takes nothing away
            }
            if (after.outcome() == Outcome.DENY || after.servedModel() == null) {
                denied += r.count();
            } else if (!after.servedModel().equals(before.servedModel())) {
                downgraded += r.count();
            }
        }
        return new Result(denied, downgraded, replayed, notReplayed);
    }
}
