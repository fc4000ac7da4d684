package dev.clearance.sdk;

import java.util.Objects;

/**
 * A generate request: the model (version id or alias), the prompt, and whether an older version may serve
 * when the requested one is refused (allowed unless {@link #forbidFallback()}).
 */
public record GenerateRequest(String model, String prompt, boolean forbidFallback) {

    public GenerateRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(prompt, "prompt");
    }

    public static GenerateRequest of(String model, String prompt) {
        return new GenerateRequest(model, prompt, false);
    }

    /** The same request, refusing fallback: a refusal of the requested model is an {@link AccessDeniedException}. */
    public GenerateRequest withoutFallback() {
        return new GenerateRequest(model, prompt, true);
    }
}
