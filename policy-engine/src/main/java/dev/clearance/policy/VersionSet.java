package dev.clearance.policy;

import java.time.Instant;
import java.util.BitSet;

/**
 * Sets of version numbers of one snapshot as bare {@code long[]} words, and instants as
 * nanoseconds since the epoch. The decision path is bound by memory loads, so compiled data is
 * kept flat: one array per set, no wrapper objects, no {@link Instant} objects to chase.
 */
final class VersionSet {
    /** No start / no end of a validity window. */
    static final long UNBOUNDED_START = Long.MIN_VALUE;
    static final long UNBOUNDED_END = Long.MAX_VALUE;

    private VersionSet() {
    }

    static long[] empty(int versions) {
        return new long[(versions + 63) >>> 6];
    }

    static long[] of(BitSet bits, int versions) {
        long[] set = empty(versions);
        for (int v = bits.nextSetBit(0); v >= 0; v = bits.nextSetBit(v + 1)) {
            set[v >>> 6] |= 1L << v;
        }
        return set;
    }

    static boolean contains(long[] set, int v) {
        return (set[v >>> 6] & (1L << v)) != 0;
    }

    /**
     * Adds every member of {@code other}, a set over the same snapshot, to {@code set} (which may
     * be longer: a binding keeps more bits after the versions).
     */
    static void addAll(long[] set, long[] other) {
        for (int i = 0; i < other.length; i++) {
            set[i] |= other[i];
        }
    }

    /** Nanoseconds since the epoch; exact for 1677–2262, which covers every validity window we store. */
    static long nanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }

    /** Whether {@link #nanos} can represent the instant (null, an open end, always can). */
    static boolean fitsNanos(Instant instant) {
        if (instant == null) {
            return true;
        }
        long seconds = instant.getEpochSecond();
        // Long.MIN_VALUE..MAX_VALUE nanos is 1677-09-21T00:12:43.145224192Z..2262-04-11T23:47:16.854775807Z
        if (seconds > -9_223_372_036L && seconds < 9_223_372_036L) {
            return true;
        }
        try {
            nanos(instant);
            return true;
        } catch (ArithmeticException outOfRange) {
            return false;
        }
    }

    /** {@code a + b}, pinned to Long.MIN_VALUE or MAX_VALUE instead of wrapping. */
    static long saturatedAdd(long a, long b) {
        long sum = a + b;
        if (((a ^ sum) & (b ^ sum)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return sum;
    }

    /**
     * A window's start as epoch nanos; null is unbounded. Instants beyond what nanos represent
     * (1677-2262) are pinned to the nearest end, which decides the same for every representable
     * decision time short of the very last nanosecond, instead of failing the whole snapshot.
     */
    static long startNanos(Instant start) {
        return start == null ? UNBOUNDED_START : pinnedNanos(start);
    }

    static long endNanos(Instant end) {
        return end == null ? UNBOUNDED_END : pinnedNanos(end);
    }

    private static long pinnedNanos(Instant instant) {
        if (fitsNanos(instant)) {
            return nanos(instant);
        }
        return instant.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
}
