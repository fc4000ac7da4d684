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

    /** Adds every member of {@code other}, a set over the same snapshot, to {@code set}. */
    static void addAll(long[] set, long[] other) {
        for (int i = 0; i < set.length; i++) {
            set[i] |= other[i];
        }
    }

    /** Nanoseconds since the epoch; exact for 1677–2262, which covers every validity window we store. */
    static long nanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }

    static long startNanos(Instant start) {
        return start == null ? UNBOUNDED_START : nanos(start);
    }

    static long endNanos(Instant end) {
        return end == null ? UNBOUNDED_END : nanos(end);
    }
}
