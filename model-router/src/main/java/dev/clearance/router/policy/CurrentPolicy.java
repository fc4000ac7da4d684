package dev.clearance.router.policy;

import dev.clearance.policy.PolicySnapshot;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The policy snapshot this router decides with. The request path does one volatile read
 * ({@link #get()}); the watcher swaps in newer snapshots without locks. A snapshot never
 * replaces one with a higher or equal revision, so a late or replayed stream message can not
 * roll policy back (a revoked directive stays revoked, an enforced one stays enforced). The
 * one exception is a snapshot read from disk at startup: the first one from the control plane
 * replaces it whatever its revision, because the stream is the authority and the file may
 * come from an older deployment.
 */
@Singleton
public class CurrentPolicy {

    /** Where the held snapshot came from. */
    public enum Source {
        /** Streamed by entitlement-service. */
        STREAM,
        /** Read from the router's own snapshot file at startup. */
        DISK
    }

    private final AtomicReference<Held> held = new AtomicReference<>();

    /** What is held, with when it was applied and where it came from. */
    public record Held(PolicySnapshot snapshot, Instant appliedAt, Source source) {
    }

    /** The newest snapshot, or null before the first one arrived. */
    public PolicySnapshot get() {
        Held current = held.get();
        return current == null ? null : current.snapshot();
    }

    public Held held() {
        return held.get();
    }

    /** {@link #offer(PolicySnapshot, Source)} from the stream. */
    public boolean offer(PolicySnapshot next) {
        return offer(next, Source.STREAM);
    }

    /**
     * Installs {@code next} if its revision is higher than the one held, or if it comes from the
     * stream and what is held came from disk.
     *
     * @return whether it was installed
     */
    public boolean offer(PolicySnapshot next, Source source) {
        Held candidate = new Held(next, Instant.now(), source);
        while (true) {
            Held current = held.get();
            boolean replacesDisk = current != null && current.source() == Source.DISK && source == Source.STREAM;
            if (current != null && !replacesDisk && next.revision() <= current.snapshot().revision()) {
                return false;
            }
            if (held.compareAndSet(current, candidate)) {
                return true;
            }
        }
    }

    /** Forgets the snapshot: every request fails closed with POLICY_UNAVAILABLE until the next one. */
    public void clear() {
        held.set(null);
    }
}
