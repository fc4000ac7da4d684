package dev.clearance.entitlement.preview;

import java.util.List;

/**
 * What a directive would change: per version the counts, and every impacted caller ordered by
 * model, then caller.
 */
public record Impact(int personsEvaluated, int organisationsEvaluated, int apiKeysEvaluated, List<ModelCount> models,
                     List<Hit> hits) {

    public enum Kind { PERSON, ORGANISATION_API_KEYS, API_KEY }

    /**
     * One caller losing one version; {@code fallbackModel} null when nothing older serves. For an
     * API key, {@code caller} is {@code apiKeys/{id}} and {@code apiKeyOwner} what it is bound to.
     */
    public record Hit(String model, Kind kind, String caller, String organisation, String fallbackModel,
                      String apiKeyPrefix, String apiKeyOwner) {

        public Hit(String model, Kind kind, String caller, String organisation, String fallbackModel) {
            this(model, kind, caller, organisation, fallbackModel, null, null);
        }
    }

    /**
     * {@code persons}, {@code organisationApiKeys} (organisations whose organisation-wide keys lose
     * it), {@code downgraded} and {@code denied} count callers as before; {@code apiKeys} counts the
     * individual keys, {@code organisationWideApiKeys} those of them bound to no person.
     */
    public record ModelCount(String model, int persons, int organisations, int organisationApiKeys,
                             int downgraded, int denied, int apiKeys, int organisationWideApiKeys) {
    }
}
