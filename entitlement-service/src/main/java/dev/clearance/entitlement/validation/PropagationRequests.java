package dev.clearance.entitlement.validation;

import com.google.protobuf.Duration;
import dev.clearance.api.ApiError;
import dev.clearance.entitlement.v1.AcknowledgePolicyRequest;
import dev.clearance.entitlement.v1.GetPropagationStatusRequest;
import dev.clearance.entitlement.v1.WatchPolicyRequest;

import java.util.regex.Pattern;

import static dev.clearance.entitlement.EntitlementErrors.invalid;

/** Shapes of the propagation RPCs: router ids, revisions, the optional wait of EnforceDirective. */
public final class PropagationRequests {

    /** Router ids are chosen by operators or default to {@code <hostname>-<pid>}: allow host-name characters. */
    public static final Pattern ROUTER_ID = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._:-]{0,198}[A-Za-z0-9])?");
    static final String ROUTER_ID_RULE = "must be 1 to 200 letters, digits, dots, colons, underscores or hyphens, "
            + "starting and ending with a letter or digit";

    private PropagationRequests() {
    }

    /** The router id of a watch; empty is allowed (an unnamed router, not tracked). */
    public static String check(WatchPolicyRequest r) {
        if (r.getRouterId().isEmpty()) {
            return null;
        }
        ApiError errors = invalid();
        routerId(errors, r.getRouterId());
        errors.throwIfViolations();
        return r.getRouterId();
    }

    public static void check(AcknowledgePolicyRequest r) {
        ApiError errors = invalid();
        if (r.getRouterId().isEmpty()) {
            errors.violation("router_id", "is required");
        } else {
            routerId(errors, r.getRouterId());
        }
        if (r.getRevision() <= 0) {
            errors.violation("revision", "must be a positive policy revision");
        }
        if (r.hasApplyTime()) {
            Fields.timestamp(errors, "apply_time", r.getApplyTime());
        }
        errors.throwIfViolations();
    }

    public static void check(GetPropagationStatusRequest r) {
        if (r.getRevision() < 0) {
            invalid().violation("revision", "must be a policy revision, or 0 for the current one").throwIfViolations();
        }
    }

    /**
     * The optional propagation wait: a non-negative duration of at most {@code max}; null when
     * not set.
     */
    public static java.time.Duration propagationTimeout(boolean set, Duration d, java.time.Duration max) {
        if (!set) {
            return null;
        }
        ApiError errors = invalid();
        if (d.getSeconds() < 0 || d.getNanos() < 0 || d.getNanos() > 999_999_999) {
            errors.violation("propagation_timeout", "must be a non-negative duration");
        } else {
            java.time.Duration wait = java.time.Duration.ofSeconds(d.getSeconds(), d.getNanos());
            if (wait.compareTo(max) > 0) {
                errors.violation("propagation_timeout", "must be at most " + max.toSeconds() + "s");
            } else {
                return wait;
            }
        }
        errors.throwIfViolations();
        return null;
    }

    private static void routerId(ApiError errors, String value) {
        if (!ROUTER_ID.matcher(value).matches()) {
            errors.violation("router_id", ROUTER_ID_RULE);
        }
    }
}
