package dev.clearance.entitlement.service;

import dev.clearance.api.mapping.PolicyMapping;
import dev.clearance.entitlement.mapping.TimeMapping;
import dev.clearance.policy.PolicySnapshot;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Rebuilds the policy from the database, compiles it and publishes it to the holder (and so
 * to every WatchPolicy stream). The one entry point for "the stored policy changed": run at
 * startup and, through the coalescing {@link PolicyRefresh}, after each committed write here and
 * on every PostgreSQL NOTIFY (a write through any replica).
 */
@ApplicationScoped
public class PolicyPublisher {

    private static final Logger LOG = Logger.getLogger(PolicyPublisher.class);

    private final PolicySnapshotBuilder builder;
    private final PolicyHolder holder;

    public PolicyPublisher(PolicySnapshotBuilder builder, PolicyHolder holder) {
        this.builder = builder;
        this.holder = holder;
    }

    /** Builds and publishes the stored policy; the result is the current policy afterwards. */
    public Uni<CurrentPolicy> publishLatest() {
        long start = System.nanoTime();
        return builder.build().map(proto -> {
            compileAndPublish(proto, "", "read and mapped", start);
            return holder.current();
        });
    }

    /**
     * Publishes the revision {@code change} makes of the held snapshot when the held one is exactly
     * the revision before it (see {@link PolicyChange#applyTo}); nothing is read from the database.
     *
     * @return whether this replica now holds the change's revision (or a newer one)
     */
    public boolean publishChange(PolicyChange change) {
        long start = System.nanoTime();
        CurrentPolicy held = holder.current();
        if (held != null && held.revision() >= change.revision()) {
            return true;
        }
        dev.clearance.entitlement.v1.PolicySnapshot proto =
                change.applyTo(held == null ? null : held.proto(), TimeMapping.toTimestamp(TimeMapping.now()));
        if (proto == null) {
            LOG.debugf("policy revision %d: its change does not apply to revision %s; rebuilding",
                    (Object) change.revision(), held == null ? "none" : String.valueOf(held.revision()));
            return false;
        }
        compileAndPublish(proto, " from its change to directives/" + change.directiveId(), "applied", start);
        CurrentPolicy now = holder.current();
        return now != null && now.revision() >= change.revision();
    }

    /**
     * Compiles {@code proto} (the very snapshot the routers receive, through the same mapping) and
     * publishes it, logging the stage times of propagation: what the replica adds between a commit and
     * the push. {@code start} is when the first stage, named {@code firstStage}, began.
     */
    private void compileAndPublish(dev.clearance.entitlement.v1.PolicySnapshot proto, String from, String firstStage,
                                   long start) {
        long built = System.nanoTime();
        PolicySnapshot compiled = PolicySnapshot.compile(PolicyMapping.toInputs(proto));
        long compiledAt = System.nanoTime();
        CurrentPolicy next = new CurrentPolicy(proto, compiled);
        if (holder.publish(next)) {
            LOG.infof("published policy revision %d to %d watchers%s: %s in %.1f ms, compiled in %.1f ms, pushed in "
                            + "%.1f ms", next.revision(), holder.watcherCount(), from, firstStage, (built - start) / 1e6,
                    (compiledAt - built) / 1e6, (System.nanoTime() - compiledAt) / 1e6);
        }
    }

    void loadAtStartup(@Observes StartupEvent event) {
        try {
            CurrentPolicy policy = VertxContextSupport.subscribeAndAwait(this::publishLatest);
            LOG.infof("policy revision %d loaded", policy.revision());
        } catch (Throwable e) {
            // Stay up so operators can repair the data through the API; readiness reports it.
            LOG.error("could not load the policy snapshot at startup", e);
        }
    }
}
