package dev.clearance.router.stream;

import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to reopen a control-plane stream (policy or identity changes) after it failed or ended:
 * exponential backoff, capped, with jitter so a fleet of routers does not reconnect in step
 * after a service restart.
 */
public final class Reconnection {
    private Reconnection() {
    }

    /** Delay before attempt {@code attempt} (1-based): between half and all of the capped backoff. */
    public static long delayMillis(int attempt, Duration initialBackoff, Duration maxBackoff) {
        long base = initialBackoff.toMillis() << Math.min(attempt - 1, 16);
        long capped = Math.min(maxBackoff.toMillis(), Math.max(1, base));
        return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
    }

    /** Logs a failed stream: one warning per outage (the first attempt), the retries at debug. */
    public static void logFailure(Logger log, String stream, int attempt, Throwable failure) {
        String message = stream + " failed (" + failure.getClass().getSimpleName() + ": " + failure.getMessage()
                + "); reconnecting";
        if (attempt == 1) {
            log.warn(message);
        } else {
            log.debug(message);
        }
    }

    /** Runs {@code connect} after the delay for {@code attempt}; retries the scheduling itself if it fails. */
    public static void schedule(int attempt, Duration initialBackoff, Duration maxBackoff, Runnable connect) {
        Uni.createFrom().voidItem()
                .onItem().delayIt().by(Duration.ofMillis(delayMillis(attempt, initialBackoff, maxBackoff)))
                .subscribe().with(ignored -> connect.run(),
                        e -> schedule(attempt, initialBackoff, maxBackoff, connect));
    }
}
