package dev.clearance.suite;

import dev.clearance.common.v1.Decision;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Asks for a decision again and again until one satisfies a condition: how the suite measures the
 * time from a policy change (the admin call returning) to the first router decision that applies it.
 * Polls back to back, so the resolution is one router round trip (about a millisecond locally).
 */
public final class DecisionPoll {

    /** @param elapsed from the start of polling to the answer of the first matching decision */
    public record Result(Decision decision, Duration elapsed, int polls) {
    }

    private DecisionPoll() {
    }

    /** @throws IllegalStateException when no matching decision arrives within {@code timeout} */
    public static Result until(Supplier<Decision> ask, Predicate<Decision> applied, Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        int polls = 0;
        Decision last = null;
        while (System.nanoTime() < deadline) {
            last = ask.get();
            polls++;
            if (applied.test(last)) {
                return new Result(last, Duration.ofNanos(System.nanoTime() - start), polls);
            }
        }
        throw new IllegalStateException("no decision applied the change within " + timeout.toSeconds() + " s ("
                + polls + " polls); last: " + (last == null ? "none" : RouterClient.outcome(last) + " "
                + RouterClient.reasons(last) + " at policy revision " + last.getPolicyRevision()));
    }
}
