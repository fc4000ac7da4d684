package dev.clearance.router.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.clearance.api.mapping.CallerMapping;
import dev.clearance.common.v1.CallerIdentity;
import dev.clearance.policy.BoundCaller;
import dev.clearance.policy.PolicySnapshot;
import dev.clearance.router.policy.PolicyChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Each cached caller bound to the current snapshot, so a request maps and looks up the caller's
 * entitlements once per identity and revision rather than once per request. Keyed by the very
 * {@link CallerIdentity} object the identity cache holds (weak keys compare by identity): when
 * that cache drops or replaces an identity, its binding becomes unreachable with it. A new
 * snapshot clears every binding, so none keeps an old snapshot alive; a binding to another
 * snapshot is never trusted anyway (the engine binds again).
 */
@ApplicationScoped
public class CallerBindings {

    private final Cache<CallerIdentity, BoundCaller> bindings;

    public CallerBindings(@ConfigProperty(name = "clearance.router.identity-cache-size", defaultValue = "100000")
                          long maxEntries) {
        this.bindings = Caffeine.newBuilder().weakKeys().maximumSize(maxEntries).build();
    }

    /** The caller bound to {@code snapshot}: the one held if it was bound to this snapshot, else a new binding. */
    public BoundCaller bind(PolicySnapshot snapshot, CallerIdentity identity) {
        BoundCaller held = bindings.getIfPresent(identity);
        if (held != null && held.isBoundTo(snapshot)) {
            return held;
        }
        BoundCaller bound = BoundCaller.bind(snapshot, CallerMapping.toCaller(identity));
        bindings.put(identity, bound);
        return bound;
    }

    void onPolicyChanged(@Observes PolicyChanged changed) {
        bindings.invalidateAll();
    }

    long size() {
        bindings.cleanUp();
        return bindings.estimatedSize();
    }
}
