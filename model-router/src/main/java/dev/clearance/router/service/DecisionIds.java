package dev.clearance.router.service;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Decision ids: random version-4 UUIDs drawn from {@link ThreadLocalRandom}, not from
 * {@link UUID#randomUUID()}. A decision id correlates an answer with its log line, span and
 * metrics; it grants nothing, so it needs to be unique, not unpredictable. {@code randomUUID()}
 * reads SecureRandom (on Linux NativePRNG: a global lock around a buffered read of
 * /dev/urandom) on every request; a per-thread generator takes no lock and does no I/O.
 * Uniqueness: 122 random bits from a per-thread 64-bit generator with period 2^64; two threads'
 * sequences start at unrelated points, so ids repeat only if two threads' runs of draws overlap,
 * which for any realistic number of decisions is vanishingly unlikely.
 */
final class DecisionIds {

    private DecisionIds() {
    }

    static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;                        // version 4
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(most, least).toString();
    }
}
