package dev.clearance.policy;

/**
 * One step of a decision's explanation.
 *
 * @param model     the version the reason is about
 * @param directive {@code directives/{id}} for directive reasons, else null
 * @param citation  the directive's citation; for EMBARGOED_REGION the embargo regulation
 *                  ({@link Evaluator#EMBARGO_CITATION}); else null
 * @param carveOut  for CARVE_OUT: what exempted the caller ({@code licences/..}, {@code programmes/..},
 *                  {@code organisations/..}); else null
 */
public record Reason(ReasonCode code, String model, String directive, String citation, String message, String carveOut) {
    public Reason(ReasonCode code, String model, String directive, String citation, String message) {
        this(code, model, directive, citation, message, null);
    }
}
