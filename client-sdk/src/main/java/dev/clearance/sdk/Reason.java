package dev.clearance.sdk;

import java.util.Optional;

/**
 * One step of a decision's explanation, in evaluation order.
 *
 * @param code      what the step is
 * @param model     the model version it is about
 * @param directive {@code directives/{id}} for DIRECTIVE, SHADOW_DIRECTIVE and CARVE_OUT, else empty
 * @param citation  the directive's legal citation, else empty
 * @param message   a human-readable sentence
 */
public record Reason(ReasonCode code, String model, String directive, String citation, String message) {

    public Optional<String> directiveName() {
        return directive == null || directive.isEmpty() ? Optional.empty() : Optional.of(directive);
    }
}
