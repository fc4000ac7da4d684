package dev.clearance.entitlement.service;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The newest published policy and every open watch stream. Readers take the reference with
 * no lock; publishing and joining a stream share one lock, so each stream sees the current
 * snapshot once and then every newer one in increasing revision order, never a lower one.
 */
@ApplicationScoped
public class PolicyHolder {

    private final AtomicReference<CurrentPolicy> current = new AtomicReference<>();
    private final Set<MultiEmitter<? super dev.clearance.entitlement.v1.PolicySnapshot>> watchers =
            ConcurrentHashMap.newKeySet();
    private final Object publishLock = new Object();

    /** The newest published policy, or null before the first one. */
    public CurrentPolicy current() {
        return current.get();
    }

    /**
     * Makes {@code next} current and sends it to every stream, unless a revision at least as
     * new is already current (rebuilds may finish out of order).
     *
     * @return whether it was published
     */
    public boolean publish(CurrentPolicy next) {
        synchronized (publishLock) {
            CurrentPolicy now = current.get();
            if (now != null && now.revision() >= next.revision()) {
                return false;
            }
            current.set(next);
            for (var watcher : watchers) {
                watcher.emit(next.proto());
            }
            return true;
        }
    }

    /**
     * The current snapshot (when there is one), then each newer one. A stream that cannot keep
     * up keeps only the newest pending snapshot: a router needs the latest, not the history.
     */
    public Multi<dev.clearance.entitlement.v1.PolicySnapshot> watch() {
        return Multi.createFrom().emitter(emitter -> {
            synchronized (publishLock) {
                watchers.add(emitter);
                emitter.onTermination(() -> watchers.remove(emitter));
                CurrentPolicy now = current.get();
                if (now != null) {
                    emitter.emit(now.proto());
                }
            }
        }, BackPressureStrategy.LATEST);
    }

    /** Open watch streams, for health and tests. */
    public int watcherCount() {
        return watchers.size();
    }
}
