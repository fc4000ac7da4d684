package dev.clearance.sdk;

/**
 * The answer of a unary generate call.
 *
 * @param decision    the access decision (ALLOW or ALLOW_FALLBACK; a DENY is thrown as {@link AccessDeniedException})
 * @param servedModel the version that produced the output
 * @param output      the generated text
 */
public record Generation(AccessDecision decision, String servedModel, String output) {
}
