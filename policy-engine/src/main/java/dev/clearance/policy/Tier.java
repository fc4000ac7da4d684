package dev.clearance.policy;

import java.util.List;

/** A commercial tier and the model patterns it includes ({@code lyric-*}, {@code fable-4}). */
public record Tier(String id, List<String> modelPatterns) {
    public Tier {
        modelPatterns = List.copyOf(modelPatterns);
    }
}
