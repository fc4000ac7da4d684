package dev.clearance.policy;

import java.util.Objects;

/** One version, such as {@code fable-5}. Ids are unique across the catalogue. */
public record ModelVersion(String id, VersionStatus status) {
    public ModelVersion {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
    }
}
