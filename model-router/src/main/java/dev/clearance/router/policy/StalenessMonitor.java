package dev.clearance.router.policy;

import dev.clearance.policy.PolicySnapshot;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Notices when the policy turns stale or fresh again. Decisions do not need it (they read
 * {@link PolicyFreshness} themselves); it logs each transition once and, on turning stale,
 * announces {@link PolicyChanged} so streams in flight on controlled models are cut too.
 */
@ApplicationScoped
public class StalenessMonitor {

    private static final Logger LOG = Logger.getLogger(StalenessMonitor.class);

    @Inject
    PolicyFreshness freshness;

    @Inject
    CurrentPolicy current;

    @Inject
    Event<PolicyChanged> changed;

    @Inject
    Vertx vertx;

    private volatile long timer = -1;
    private boolean wasStale = true;

    void onStart(@Observes StartupEvent event) {
        // A quarter of the bound (at most a second): transitions are seen soon after they happen.
        long every = Math.max(50, Math.min(1000, freshness.bound().toMillis() / 4));
        timer = vertx.setPeriodic(every, id -> Infrastructure.getDefaultWorkerPool().execute(this::check));
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    synchronized void check() {
        PolicySnapshot snapshot = current.get();
        if (snapshot == null) {
            return;
        }
        boolean stale = freshness.isStale();
        if (stale == wasStale) {
            return;
        }
        wasStale = stale;
        if (stale) {
            Duration since = freshness.sinceHeard();
            LOG.warnf("policy revision %d is stale: nothing from entitlement-service for %s (bound %s); "
                            + "controlled models are refused with POLICY_STALE until it is confirmed", snapshot.revision(),
                    since == null ? "ever" : since.toMillis() + " ms", freshness.bound());
            changed.fire(new PolicyChanged(snapshot, true));
        } else {
            LOG.infof("policy revision %d is confirmed by entitlement-service: fresh", snapshot.revision());
        }
    }
}
