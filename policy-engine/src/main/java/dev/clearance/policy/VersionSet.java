package dev.clearance.policy;

import java.util.BitSet;

/**
 * A fixed-size set of version numbers of one snapshot, as bare words: one array to load per
 * set on the decision path (a {@link BitSet} costs an extra indirection and bookkeeping).
 */
final class VersionSet {
    private final long[] words;

    private VersionSet(long[] words) {
        this.words = words;
    }

    static VersionSet empty(int versions) {
        return new VersionSet(new long[(versions + 63) >>> 6]);
    }

    static VersionSet of(BitSet bits, int versions) {
        VersionSet set = empty(versions);
        for (int v = bits.nextSetBit(0); v >= 0; v = bits.nextSetBit(v + 1)) {
            set.words[v >>> 6] |= 1L << v;
        }
        return set;
    }

    boolean get(int v) {
        return (words[v >>> 6] & (1L << v)) != 0;
    }

    /** Adds every member of {@code other}, a set over the same snapshot. */
    void addAll(VersionSet other) {
        long[] a = words;
        long[] b = other.words;
        for (int i = 0; i < a.length; i++) {
            a[i] |= b[i];
        }
    }

    VersionSet copy() {
        return new VersionSet(words.clone());
    }
}
