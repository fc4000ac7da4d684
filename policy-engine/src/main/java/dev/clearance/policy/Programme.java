package dev.clearance.policy;

import java.util.List;
import java.util.Set;

/**
 * A vetted programme, its models and its members.
 *
 * @param members {@code persons/{id}} and {@code organisations/{id}}
 */
public record Programme(String id, List<String> modelPatterns, Set<String> members) {
    public Programme {
        modelPatterns = List.copyOf(modelPatterns);
        members = Set.copyOf(members);
    }
}
