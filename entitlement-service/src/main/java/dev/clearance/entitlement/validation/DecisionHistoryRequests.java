package dev.clearance.entitlement.validation;

import com.google.protobuf.Timestamp;
import dev.clearance.api.ApiError;
import dev.clearance.common.v1.Outcome;
import dev.clearance.entitlement.v1.DecisionCount;
import dev.clearance.entitlement.v1.RecordDecisionCountsRequest;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static dev.clearance.entitlement.EntitlementErrors.invalid;

/**
 * Shape of RecordDecisionCounts: one violation per problem, each count by its index
 * ({@code counts[3].caller}); nothing is stored when any is found.
 */
public final class DecisionHistoryRequests {

    public static final int MAX_COUNTS = 10_000;
    /** The router's boot id and sequence ({@code 3f2a…-17}). */
    static final Pattern BATCH_ID = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._:-]{0,98}[A-Za-z0-9])?");
    private static final List<String> CALLERS = List.of("persons", "organisations");
    private static final int MAX_MODEL_LENGTH = 200;
    /** A router's clock may run a little ahead; an hour further is not a clock, it is a bug. */
    private static final long FUTURE_SLACK_SECONDS = 3600;

    private DecisionHistoryRequests() {
    }

    /** @param nowSeconds the service's clock, to refuse hours from the future */
    public static void check(RecordDecisionCountsRequest r, long nowSeconds) {
        ApiError errors = invalid();
        if (r.getRouterId().isEmpty()) {
            errors.violation("router_id", "is required");
        } else if (!PropagationRequests.ROUTER_ID.matcher(r.getRouterId()).matches()) {
            errors.violation("router_id", PropagationRequests.ROUTER_ID_RULE);
        }
        if (r.getBatchId().isEmpty()) {
            errors.violation("batch_id", "is required");
        } else if (!BATCH_ID.matcher(r.getBatchId()).matches()) {
            errors.violation("batch_id", "must be 1 to 100 letters, digits, dots, colons, underscores or hyphens, "
                    + "starting and ending with a letter or digit");
        }
        if (!r.hasSinceTime()) {
            errors.violation("since_time", "is required: the start of the interval the batch covers");
        } else if (Fields.timestamp(errors, "since_time", r.getSinceTime())
                && r.getSinceTime().getSeconds() > nowSeconds + FUTURE_SLACK_SECONDS) {
            errors.violation("since_time", "is in the future");
        }
        if (r.getDroppedRequests() < 0) {
            errors.violation("dropped_requests", "must not be negative");
        }
        if (r.getCountsCount() > MAX_COUNTS) {
            errors.violation("counts", "must hold at most " + MAX_COUNTS + " counts; send several batches");
        } else {
            Set<Key> seen = new HashSet<>();
            for (int i = 0; i < r.getCountsCount(); i++) {
                count(errors, "counts[" + i + "]", r.getCounts(i), nowSeconds, seen);
            }
        }
        errors.throwIfViolations();
    }

    private record Key(long hour, String caller, String model, boolean fallback, Outcome outcome) {
    }

    private static void count(ApiError errors, String at, DecisionCount c, long nowSeconds, Set<Key> seen) {
        boolean ok = true;
        if (!c.hasHourTime()) {
            errors.violation(at + ".hour_time", "is required: the start of a UTC hour");
            ok = false;
        } else if (Fields.timestamp(errors, at + ".hour_time", c.getHourTime())) {
            Timestamp h = c.getHourTime();
            if (h.getNanos() != 0 || Math.floorMod(h.getSeconds(), 3600L) != 0) {
                errors.violation(at + ".hour_time", "must be the start of a UTC hour (a whole hour)");
                ok = false;
            } else if (h.getSeconds() > nowSeconds + FUTURE_SLACK_SECONDS) {
                errors.violation(at + ".hour_time", "is in the future");
                ok = false;
            }
        } else {
            ok = false;
        }
        if (c.getCaller().isEmpty()) {
            errors.violation(at + ".caller", "is required (persons/{id} or organisations/{id})");
            ok = false;
        } else {
            ok &= Fields.oneOfResources(errors, at + ".caller", c.getCaller(), CALLERS);
        }
        if (c.getModel().isEmpty()) {
            errors.violation(at + ".model", "is required: the requested version");
            ok = false;
        } else if (c.getModel().length() > MAX_MODEL_LENGTH || !Fields.MODEL_ID.matcher(c.getModel()).matches()) {
            errors.violation(at + ".model", "must be a canonical model version id");
            ok = false;
        }
        switch (c.getOutcome()) {
            case OUTCOME_ALLOW, OUTCOME_ALLOW_FALLBACK, OUTCOME_DENY -> {
            }
            default -> {
                errors.violation(at + ".outcome", "must be ALLOW, ALLOW_FALLBACK or DENY");
                ok = false;
            }
        }
        if (c.getCount() <= 0) {
            errors.violation(at + ".count", "must be positive");
            ok = false;
        }
        if (ok && !seen.add(new Key(c.getHourTime().getSeconds(), c.getCaller(), c.getModel(), c.getFallbackAllowed(),
                c.getOutcome()))) {
            errors.violation(at, "repeats an earlier count's hour, caller, model, fallback and outcome");
        }
    }
}
