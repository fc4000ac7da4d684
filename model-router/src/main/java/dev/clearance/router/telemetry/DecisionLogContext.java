package dev.clearance.router.telemetry;

import org.jboss.logging.MDC;

/**
 * Puts the decision id in the logging MDC ({@code decision_id}) for the log lines written inside
 * it, so JSON logs carry it as a field; restores what was there before when closed.
 */
public final class DecisionLogContext implements AutoCloseable {

    public static final String KEY = "decision_id";

    private final Object previous;

    private DecisionLogContext(String decisionId) {
        this.previous = MDC.get(KEY);
        MDC.put(KEY, decisionId);
    }

    public static DecisionLogContext of(String decisionId) {
        return new DecisionLogContext(decisionId);
    }

    @Override
    public void close() {
        if (previous == null) {
            MDC.remove(KEY);
        } else {
            MDC.put(KEY, previous);
        }
    }
}
