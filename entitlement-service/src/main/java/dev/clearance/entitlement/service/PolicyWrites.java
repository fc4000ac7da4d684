package dev.clearance.entitlement.service;

import dev.clearance.entitlement.repository.PolicyRevisionRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The only way the policy is written: one transaction that first bumps the revision, then does
 * the work and queues the NOTIFY that tells every other replica (with what changed, when the
 * work can say it: {@link PolicyChange}); after it commits
 * (never inside it) the new snapshot is rebuilt and published here, through the coalescing
 * {@link PolicyRefresh}. Bumping first takes the revision row lock, so writers run one at a
 * time and the existence checks inside {@code work} cannot race another writer.
 */
@ApplicationScoped
public class PolicyWrites {

    private static final Logger LOG = Logger.getLogger(PolicyWrites.class);

    private final PolicyRevisionRepository revisions;
    private final PolicyRefresh refresh;

    public PolicyWrites(PolicyRevisionRepository revisions, PolicyRefresh refresh) {
        this.revisions = revisions;
        this.refresh = refresh;
    }

    /**
     * @param work given the new revision; failing it (validation, not found, ...) rolls back
     *             the bump with everything else
     */
    public <T> Uni<T> write(Function<Long, Uni<T>> work) {
        return write(work, () -> null);
    }

    /**
     * @param change asked after {@code work} succeeded, inside the transaction: what the revision
     *               changed in the snapshot when the work can say it exactly (null otherwise). It
     *               rides on the NOTIFY, and this replica applies it at once after the commit, so no
     *               replica has to re-read the whole policy for it.
     */
    public <T> Uni<T> write(Function<Long, Uni<T>> work, Supplier<PolicyChange> change) {
        AtomicLong written = new AtomicLong();
        AtomicReference<PolicyChange> changed = new AtomicReference<>();
        long start = System.nanoTime();
        return Panache.withTransaction(() -> revisions.bump().chain(revision -> {
                    written.set(revision);
                    return work.apply(revision).call(() -> {
                        PolicyChange c = change.get();
                        changed.set(c != null && c.revision() == revision ? c : null);
                        return revisions.announce(changed.get() != null ? changed.get().payload()
                                : Long.toString(revision));
                    });
                }))
                .invoke(() -> LOG.debugf("policy revision %d committed %.1f ms after the write began", (Object) written.get(),
                        (System.nanoTime() - start) / 1e6))
                // The answer waits for the snapshot of this revision, so a client that enforced a
                // directive can Check against it at once. A failed rebuild must not turn the
                // committed write into an error: the next write or NOTIFY rebuilds again.
                .call(() -> {
                    refresh.notified(written.get(), changed.get());
                    return refresh.atLeast(written.get())
                            .onFailure().invoke(e -> LOG.errorf(e, "committed policy revision %d but could not "
                                            + "rebuild the snapshot; routers keep the previous one until the next change",
                                    written.get()))
                            .onFailure().recoverWithNull();
                });
    }
}
