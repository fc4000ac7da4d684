package dev.clearance.sdk;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Retries a call only when it failed with {@code UNAVAILABLE}: at most {@code maxAttempts} attempts in all,
 * exponential backoff ({@code initialBackoff}, doubling, capped at {@code maxBackoff}) with jitter (each wait
 * is uniformly random between half and all of the backoff), and never past the call's deadline: a wait that
 * would end after it is not taken. PERMISSION_DENIED, INVALID_ARGUMENT, UNAUTHENTICATED and every other code
 * are returned at once.
 */
final class RetryPolicy {

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (initialBackoff.isNegative() || maxBackoff.isNegative()) {
            throw new IllegalArgumentException("backoff must not be negative");
        }
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    int maxAttempts() {
        return maxAttempts;
    }

    static boolean retryable(StatusRuntimeException e) {
        return e.getStatus().getCode() == Status.Code.UNAVAILABLE;
    }

    /**
     * Runs {@code attempt} (given the nanoTime deadline) until it succeeds, fails with a code that is not
     * retried, attempts run out, or the next wait would pass {@code deadlineNanos}.
     */
    <T> T run(long deadlineNanos, Function<Long, T> attempt) {
        for (int n = 1; ; n++) {
            try {
                return attempt.apply(deadlineNanos);
            } catch (StatusRuntimeException e) {
                if (!retryable(e) || n >= maxAttempts) {
                    throw ClearanceException.from(e);
                }
                long wait = jittered(backoffNanos(n));
                if (System.nanoTime() + wait >= deadlineNanos) {
                    throw ClearanceException.from(e);
                }
                sleep(wait, e);
            }
        }
    }

    /** The backoff before attempt {@code n + 1}, before jitter. */
    long backoffNanos(int n) {
        long initial = initialBackoff.toNanos();
        long cap = maxBackoff.toNanos();
        long b = initial;
        for (int i = 1; i < n && b < cap; i++) {
            b = b > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : b * 2;
        }
        return Math.min(b, cap);
    }

    static long jittered(long backoffNanos) {
        if (backoffNanos <= 1) {
            return backoffNanos;
        }
        long half = backoffNanos / 2;
        return half + ThreadLocalRandom.current().nextLong(backoffNanos - half + 1);
    }

    private static void sleep(long nanos, StatusRuntimeException last) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            ClearanceException e = ClearanceException.from(last);
            e.addSuppressed(ie);
            throw e;
        }
    }
}
