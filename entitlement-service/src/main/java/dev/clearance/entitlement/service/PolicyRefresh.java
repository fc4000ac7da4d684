package dev.clearance.entitlement.service;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Coalesces rebuilds of the published policy. However many writes commit or NOTIFYs arrive,
 * at most one rebuild runs and at most one more is queued behind it: the queued one starts
 * after every commit that asked for it, so it reads all of them. Ten writes in a burst cost two
 * rebuilds, not ten. Never publishes backwards: {@link PolicyHolder} ignores older revisions.
 *
 * <p>Rebuilds run on their own Vert.x context (a fresh duplicated one, marked safe for
 * Hibernate Reactive), never on a request's: a cancelled request cannot cancel a rebuild
 * others wait for.
 */
@ApplicationScoped
public class PolicyRefresh {

    private static final Logger LOG = Logger.getLogger(PolicyRefresh.class);

    private final Supplier<Uni<CurrentPolicy>> rebuild;
    private final LongSupplier heldRevision;
    private final Consumer<Runnable> launcher;
    private final Predicate<PolicyChange> applyChange;

    private final Object lock = new Object();
    private boolean running;
    private boolean queued;
    /** Waiting for a rebuild that has not started yet. */
    private List<Waiter> waiting = new ArrayList<>();
    /** Waiting for the running rebuild, which started after they asked. */
    private List<Waiter> covered = new ArrayList<>();
    private long rebuilds;
    private volatile boolean lastFailed;

    private record Waiter(long revision, UniEmitter<? super Void> emitter, Context context) {
    }

    @Inject
    public PolicyRefresh(PolicyPublisher publisher, PolicyHolder holder, Vertx vertx) {
        this(publisher::publishLatest, () -> {
            CurrentPolicy now = holder.current();
            return now == null ? 0 : now.revision();
        }, task -> {
            Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
            VertxContextSafetyToggle.setContextSafe(context, true);
            context.runOnContext(ignored -> task.run());
        }, publisher::publishChange);
    }

    /** For tests: any rebuild, any notion of the held revision, any way of running a task; no changes applied. */
    PolicyRefresh(Supplier<Uni<CurrentPolicy>> rebuild, LongSupplier heldRevision, Consumer<Runnable> launcher) {
        this(rebuild, heldRevision, launcher, change -> false);
    }

    /** For tests: also any way of applying a {@link PolicyChange} (true when it published the revision). */
    PolicyRefresh(Supplier<Uni<CurrentPolicy>> rebuild, LongSupplier heldRevision, Consumer<Runnable> launcher,
                  Predicate<PolicyChange> applyChange) {
        this.rebuild = rebuild;
        this.heldRevision = heldRevision;
        this.launcher = launcher;
        this.applyChange = applyChange;
    }

    /**
     * A rebuild because something changed (a NOTIFY, a reconnect). {@code revision} is what the
     * notification named, or 0 when unknown; a revision already held needs no rebuild.
     */
    public void request(long revision) {
        notified(revision, null);
    }

    /**
     * {@link #request} for a revision whose change may be known: when it is and applies to the held
     * snapshot (exactly the revision before), the revision is published from it without a rebuild.
     * Not after a failed rebuild: only a rebuild that succeeds again lets this replica vouch.
     */
    public void notified(long revision, PolicyChange change) {
        if (revision > 0 && heldRevision.getAsLong() >= revision) {
            return;
        }
        if (change != null && change.revision() == revision && !lastFailed) {
            try {
                if (applyChange.test(change)) {
                    return;
                }
            } catch (RuntimeException e) {
                LOG.warnf(e, "could not apply the change of policy revision %d; rebuilding instead", revision);
            }
        }
        synchronized (lock) {
            queueLocked();
        }
    }

    /**
     * Completes once a revision at least {@code revision} (already committed) is published; at
     * once if it already is. Fails if the rebuild that should have published it failed.
     * Completes on the caller's Vert.x context when it had one.
     */
    public Uni<Void> atLeast(long revision) {
        return Uni.createFrom().emitter(emitter -> {
            if (heldRevision.getAsLong() >= revision) {
                emitter.complete(null);
                return;
            }
            synchronized (lock) {
                waiting.add(new Waiter(revision, emitter, Vertx.currentContext()));
                queueLocked();
            }
        });
    }

    /** Rebuilds started so far; for tests and logs. */
    public long rebuilds() {
        synchronized (lock) {
            return rebuilds;
        }
    }

    /**
     * Whether the last rebuild failed: then a committed change may not be published, and this
     * replica must not vouch (heartbeat) for what it holds.
     */
    public boolean lastRebuildFailed() {
        return lastFailed;
    }

    private void queueLocked() {
        if (running) {
            LOG.debugf("policy rebuild asked for while one runs: queued behind it");
            queued = true;
            return;
        }
        startLocked();
    }

    private void startLocked() {
        running = true;
        queued = false;
        covered = waiting;
        waiting = new ArrayList<>();
        rebuilds++;
        launcher.accept(() -> {
            Uni<CurrentPolicy> next;
            try {
                next = rebuild.get();
            } catch (RuntimeException e) {
                finished(null, e);
                return;
            }
            next.subscribe().with(policy -> finished(policy, null), failure -> finished(null, failure));
        });
    }

    private void finished(CurrentPolicy policy, Throwable failure) {
        List<Waiter> done;
        lastFailed = failure != null;
        synchronized (lock) {
            done = covered;
            covered = new ArrayList<>();
            running = false;
            if (queued || !waiting.isEmpty()) {
                startLocked();
            }
        }
        if (failure != null) {
            LOG.warnf(failure, "policy rebuild failed; %d waiting writes are told so", done.size());
        }
        for (Waiter w : done) {
            Runnable signal = failure != null ? () -> w.emitter().fail(failure) : () -> w.emitter().complete(null);
            if (w.context() != null) {
                w.context().runOnContext(ignored -> signal.run());
            } else {
                signal.run();
            }
        }
    }
}
