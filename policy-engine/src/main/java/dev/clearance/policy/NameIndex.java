package dev.clearance.policy;

import java.util.Map;

/**
 * Model names (versions and aliases, versions first) to version numbers: open addressing over
 * parallel arrays, so a lookup compares cached hashes in one int array and reads one key string,
 * with no boxed values to follow. {@link #getCanonical} answers a name exactly as sent when it is
 * a canonical key ({@link ModelName#isCanonical}): normalising such a name changes nothing, so
 * the evaluator may skip it.
 */
final class NameIndex {

    private final String[] keys;
    private final int[] hashes;
    private final int[] values;
    private final boolean[] canonical;
    private final int mask;

    /** {@code versions} win over {@code aliases} of the same name, as the evaluator always resolved. */
    NameIndex(Map<String, Integer> versions, Map<String, Integer> aliases) {
        int capacity = Integer.highestOneBit(Math.max(4, (versions.size() + aliases.size()) * 2) - 1) << 1;
        this.keys = new String[capacity];
        this.hashes = new int[capacity];
        this.values = new int[capacity];
        this.canonical = new boolean[capacity];
        this.mask = capacity - 1;
        versions.forEach(this::put);
        aliases.forEach((alias, v) -> {
            if (!versions.containsKey(alias)) {
                put(alias, v);
            }
        });
    }

    private void put(String key, int value) {
        int h = key.hashCode();
        int i = slot(h);
        while (keys[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        hashes[i] = h;
        values[i] = value;
        canonical[i] = ModelName.isCanonical(key);
    }

    private int slot(int h) {
        return (h ^ (h >>> 16)) & mask;
    }

    /** The version number of a normalised name, or -1. */
    int get(String name) {
        int i = find(name);
        return i < 0 ? -1 : values[i];
    }

    /** The version number when {@code raw} is, exactly, a canonical name of this index; else -1. */
    int getCanonical(String raw) {
        if (raw == null) {
            return -1;
        }
        int i = find(raw);
        return i < 0 || !canonical[i] ? -1 : values[i];
    }

    private int find(String name) {
        int h = name.hashCode();
        for (int i = slot(h); keys[i] != null; i = (i + 1) & mask) {
            if (hashes[i] == h && keys[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
