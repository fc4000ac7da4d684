package dev.clearance.policy;

import java.time.Instant;
import java.util.List;

/**
 * A direct grant of models.
 *
 * @param grantee {@code persons/{id}}, {@code organisations/{id}} or {@code programmes/{id}}
 * @param start   inclusive; null means always
 * @param end     exclusive; null means never ends
 */
public record Grant(String id, String grantee, List<String> modelPatterns, Instant start, Instant end) {
    public Grant {
        modelPatterns = List.copyOf(modelPatterns);
    }

    boolean validAt(Instant now) {
        return Validity.contains(start, end, now);
    }
}
