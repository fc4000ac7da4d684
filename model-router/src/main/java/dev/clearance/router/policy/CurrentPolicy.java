package dev.clearance.router.policy;

import dev.clearance.policy.PolicySnapshot;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The policy snapshot this router decides with. The request path does one volatile read
 * ({@link #get()}); the watcher swaps in newer snapshots without locks. A snapshot never
 * replaces one with a higher or equal revision, so a late or replayed stream message can not
 * roll policy back (a revoked directive stays revoked, an enforced one stays enforced).
 */
@Singleton
public class CurrentPolicy {

    private final AtomicReference<Held> held = new AtomicReference<>();

    /** What is held, with when it was applied. */
    public record Held(PolicySnapshot snapshot, Instant appliedAt) {
    }

    /** The newest snapshot, or null before the first one arrived. */
    public PolicySnapshot get() {
        Held current = held.get();
        return current == null ? null : current.snapshot();
    }

    public Held held() {
        return held.get();
    }

    /**
     * Installs {@code next} if its revision is higher than the one held.
     *
     * @return whether it was installed
     */
    public boolean offer(PolicySnapshot next) {
        Held candidate = new Held(next, Instant.now());
        while (true) {
            Held current = held.get();
            if (current != null && next.revision() <= current.snapshot().revision()) {
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
