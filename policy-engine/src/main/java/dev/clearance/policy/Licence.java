package dev.clearance.policy;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * An export licence (or licence exception) naming persons and models. It entitles the named
 * persons to the models and carves them out of directives that allow licensed persons.
 *
 * @param id        {@code licences/{id}}
 * @param reference the BIS licence number or exception reference
 * @param holder    {@code organisations/{id}}, or null
 * @param namedPersons {@code persons/{id}}
 */
public record Licence(String id, String reference, String holder, Set<String> namedPersons,
                      List<String> modelPatterns, Instant start, Instant end) {
    public Licence {
        namedPersons = Set.copyOf(namedPersons);
        modelPatterns = List.copyOf(modelPatterns);
    }

    boolean validAt(Instant now) {
        return Validity.contains(start, end, now);
    }
}
