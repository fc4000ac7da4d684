package dev.clearance.entitlement.preview;

import dev.clearance.access.Operator;
import io.smallrye.mutiny.Uni;

/** Where the population of a preview comes from (identity-service in production). */
public interface PopulationSource {
    /** @param caller the operator asking for the preview, whose credential the listing carries */
    Uni<Population> load(Operator caller);
}
