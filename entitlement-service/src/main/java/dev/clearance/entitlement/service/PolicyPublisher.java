package dev.clearance.entitlement.service;

import dev.clearance.api.mapping.PolicyMapping;
import dev.clearance.policy.PolicySnapshot;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Rebuilds the policy from the database, compiles it and publishes it to the holder (and so
 * to every WatchPolicy stream). The one entry point for "the stored policy changed": called
 * after each committed write, at startup, and (later) on a PostgreSQL NOTIFY from another replica.
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
        return builder.build().map(proto -> {
            // Compiled from the same proto the routers receive, through the same mapping.
            PolicySnapshot compiled = PolicySnapshot.compile(PolicyMapping.toInputs(proto));
            CurrentPolicy next = new CurrentPolicy(proto, compiled);
            if (holder.publish(next)) {
                LOG.debugf("published policy revision %d to %d watchers", next.revision(), holder.watcherCount());
            }
            return holder.current();
        });
    }

    /**
     * For callers whose write has already committed: a failed rebuild must not turn that
     * write into an error. The next write (or NOTIFY) rebuilds again.
     */
    public Uni<Void> publishAfterCommit() {
        return publishLatest()
                .onFailure().invoke(e -> LOG.errorf(e, "committed a policy write but could not rebuild the snapshot; "
                        + "routers keep revision %s until the next change", revisionOrNone()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
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

    private String revisionOrNone() {
        CurrentPolicy now = holder.current();
        return now == null ? "none" : Long.toString(now.revision());
    }
}
