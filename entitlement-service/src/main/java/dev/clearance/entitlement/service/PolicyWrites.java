package dev.clearance.entitlement.service;

import dev.clearance.entitlement.repository.PolicyRevisionRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
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
 * time and the existence checks inside {@code work} cannot race another writer. A directive step,
 * the write a directive going live waits on, takes the same steps in fewer round trips
 * ({@link #pipelined}).
 */
@ApplicationScoped
public class PolicyWrites {

    private static final Logger LOG = Logger.getLogger(PolicyWrites.class);

    private final PolicyRevisionRepository revisions;
    private final PolicyRefresh refresh;
    private final Pool pool;

    public PolicyWrites(PolicyRevisionRepository revisions, PolicyRefresh refresh, Pool pool) {
        this.revisions = revisions;
        this.refresh = refresh;
        this.pool = pool;
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
                .call(() -> published(written.get(), changed.get(), start));
    }

    /** What a {@link #pipelined} write decided once its reads were back. */
    public record Planned<T>(T value, Uni<Void> statements, PolicyChange change) {
    }

    /**
     * The same write as {@link #write} in two round trips, for the write an officer waits on while a
     * directive goes live: on a pool connection rather than a Hibernate session (which sends one
     * statement at a time), with {@code read} sent right behind the bump and the planned statements
     * right ahead of the NOTIFY. PostgreSQL runs them in the order sent, so the reads still see the
     * state after the bump's lock.
     *
     * @param plan given the connection, the new revision and what was read: the answer, the statements
     *             that store it (not yet subscribed to) and the change it makes to the snapshot (or null);
     *             throwing (validation, not found) rolls everything back
     */
    public <R, T> Uni<T> pipelined(Function<SqlConnection, Uni<R>> read, Plan<R, T> plan) {
        long start = System.nanoTime();
        return pool.withTransaction(c -> Uni.combine().all().unis(revisions.bump(c), read.apply(c)).asTuple()
                        .chain(bumped -> {
                            long revision = bumped.getItem1();
                            Planned<T> planned = plan.apply(c, revision, bumped.getItem2());
                            PolicyChange change = planned.change() != null && planned.change().revision() == revision
                                    ? planned.change() : null;
                            Uni<Void> announced = revisions.announce(c,
                                    change != null ? change.payload() : Long.toString(revision));
                            return Uni.combine().all().unis(planned.statements(), announced).discardItems()
                                    .map(ignored -> new Committed<>(planned.value(), revision, change));
                        }))
                .call(committed -> published(committed.revision(), committed.change(), start))
                .map(Committed::value);
    }

    /** See {@link #pipelined}. */
    @FunctionalInterface
    public interface Plan<R, T> {
        Planned<T> apply(SqlConnection c, long revision, R read);
    }

    private record Committed<T>(T value, long revision, PolicyChange change) {
    }

    /**
     * After the commit (never inside it): the answer waits for the snapshot of this revision, so a
     * client that enforced a directive can Check against it at once. A failed rebuild must not turn
     * the committed write into an error: the next write or NOTIFY rebuilds again.
     */
    private Uni<Void> published(long revision, PolicyChange change, long start) {
        LOG.debugf("policy revision %d committed %.1f ms after the write began", (Object) revision,
                (System.nanoTime() - start) / 1e6);
        refresh.notified(revision, change);
        return refresh.atLeast(revision)
                .onFailure().invoke(e -> LOG.errorf(e, "committed policy revision %d but could not "
                        + "rebuild the snapshot; routers keep the previous one until the next change", revision))
                .onFailure().recoverWithNull();
    }
}
