package dev.clearance.policy;

import java.time.Instant;

/** Half-open validity windows: start inclusive, end exclusive, null for unbounded. */
final class Validity {
    private Validity() {
    }

    static boolean contains(Instant start, Instant end, Instant now) {
        return (start == null || !now.isBefore(start)) && (end == null || now.isBefore(end));
    }
}
