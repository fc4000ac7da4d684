package dev.clearance.router.backend;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Something that runs a model version. The router calls it only after a decision allowed
 * that exact version, always with the served (canonical) version id, never with the name
 * the caller typed.
 */
public interface ModelBackend {

    /** The whole completion at once. */
    Uni<String> generate(String model, String prompt);

    /** The completion in chunks, in order; their concatenation equals {@link #generate}'s answer. */
    Multi<String> stream(String model, String prompt);
}
