package dev.clearance.entitlement.preview;

import io.smallrye.mutiny.Uni;

/** Where the population of a preview comes from (identity-service in production). */
public interface PopulationSource {
    Uni<Population> load();
}
