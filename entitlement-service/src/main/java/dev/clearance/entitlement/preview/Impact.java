package dev.clearance.entitlement.preview;

import java.util.List;

/**
 * What a directive would change: per version the counts, and every impacted caller ordered by
 * model, then caller.
 */
public record Impact(int personsEvaluated, int organisationsEvaluated, List<ModelCount> models, List<Hit> hits) {

    public enum Kind { PERSON, ORGANISATION_API_KEYS }

    /** One caller losing one version; {@code fallbackModel} null when nothing older serves. */
    public record Hit(String model, Kind kind, String caller, String organisation, String fallbackModel) {
    }

    public record ModelCount(String model, int persons, int organisations, int organisationApiKeys,
                             int downgraded, int denied) {
    }
}
