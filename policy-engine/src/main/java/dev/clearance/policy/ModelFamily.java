package dev.clearance.policy;

import java.util.List;
import java.util.Objects;

/**
 * A family with its versions ordered oldest to newest.
 *
 * @param id         family id, such as {@code fable}
 * @param controlled whether the family fails closed when policy is stale, even with no directive
 * @param versions   oldest first
 */
public record ModelFamily(String id, boolean controlled, List<ModelVersion> versions) {
    public ModelFamily {
        Objects.requireNonNull(id, "id");
        versions = List.copyOf(versions);
    }
}
