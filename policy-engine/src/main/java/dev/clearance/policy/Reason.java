package dev.clearance.policy;

/**
 * One step of a decision's explanation.
 *
 * @param model     the version the reason is about
 * @param directive {@code directives/{id}} for directive reasons, else null
 * @param citation  the directive's citation, else null
 */
public record Reason(ReasonCode code, String model, String directive, String citation, String message) {
}
