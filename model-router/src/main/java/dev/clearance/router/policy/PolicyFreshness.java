package dev.clearance.router.policy;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * When this router last heard from the control plane that its snapshot is current: a snapshot,
 * or a heartbeat naming a revision it holds. Longer ago than the staleness bound (or never,
 * e.g. started from the disk snapshot) means stale, and the engine then refuses every
 * controlled model with POLICY_STALE. Reading it on the request path costs one clock read and
 * two volatile reads; no lock, no I/O.
 */
@Singleton
public class PolicyFreshness {

    private final Duration bound;
    private final LongSupplier nanoClock;
    private volatile long lastHeardNanos;
    private volatile boolean heardAny;

    @Inject
    public PolicyFreshness(@ConfigProperty(name = "clearance.router.staleness-bound", defaultValue = "10s") Duration bound) {
        this(bound, System::nanoTime);
    }

    /** For tests: any monotonic clock in nanoseconds. */
    public PolicyFreshness(Duration bound, LongSupplier nanoClock) {
        if (bound.isNegative() || bound.isZero()) {
            throw new IllegalArgumentException("clearance.router.staleness-bound must be positive: " + bound);
        }
        this.bound = bound;
        this.nanoClock = nanoClock;
    }

    /** The control plane just confirmed the held snapshot. */
    public void heard() {
        lastHeardNanos = nanoClock.getAsLong();
        heardAny = true;
    }

    /** Nothing heard yet, or not within the bound. */
    public boolean isStale() {
        return !heardAny || nanoClock.getAsLong() - lastHeardNanos > bound.toNanos();
    }

    /** How long ago the control plane was last heard, or null if never. */
    public Duration sinceHeard() {
        return heardAny ? Duration.ofNanos(nanoClock.getAsLong() - lastHeardNanos) : null;
    }

    public Duration bound() {
        return bound;
    }
}
