package dev.clearance.policy;

import java.util.List;

/**
 * What one version is to one caller and through what: the evaluator's answer ({@link ModelAccess}:
 * allowed or not, ordered reasons, fallback) and every source that includes the version now,
 * whether or not a directive refuses it (a directive takes a model away; it does not remove the
 * entitlement).
 */
public record ModelEntitlement(ModelAccess access, List<Source> sources) {

    public ModelEntitlement {
        sources = List.copyOf(sources);
    }

    /**
     * One thing that entitles the caller to the version now.
     *
     * @param resource    {@code tiers/{id}}, {@code programmes/{id}}, {@code grants/{id}} or {@code licences/{id}}
     * @param holder      who holds it for this caller: the caller's {@code persons/{id}} or {@code organisations/{id}}
     * @param description what it is, as the ENTITLED reason names it ("tier pro of organisations/acme")
     */
    public record Source(String resource, String holder, String description) {
    }
}
