package dev.clearance.policy;

import java.time.Instant;
import java.util.Objects;

/**
 * What is asked, and the request context the evaluator may use.
 *
 * @param model         the model name as the caller sent it (normalised by the evaluator)
 * @param allowFallback whether an older version may serve when this one is refused
 * @param now           the decision time; directives and grants are judged at this instant
 * @param regionCode    ISO 3166-1 alpha-2 or 3166-2 code the request comes from, or null if unknown
 * @param policyStale   the deciding router has not heard from the control plane within its bound
 */
public record AccessRequest(String model, boolean allowFallback, Instant now, String regionCode, boolean policyStale) {
    public AccessRequest {
        Objects.requireNonNull(now, "now");
    }

    public static AccessRequest of(String model, boolean allowFallback, Instant now) {
        return new AccessRequest(model, allowFallback, now, null, false);
    }
}
