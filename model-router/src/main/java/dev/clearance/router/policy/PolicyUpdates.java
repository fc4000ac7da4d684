package dev.clearance.router.policy;

import dev.clearance.api.mapping.PolicyMapping;
import dev.clearance.entitlement.v1.PolicyHeartbeat;
import dev.clearance.policy.PolicySnapshot;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.concurrent.atomic.AtomicReference;

/**
 * What the router does with each message of the policy stream, and with the snapshot file at
 * startup. Runs on a worker thread, never on the request path: compiling, persisting and
 * re-checking streams take real time.
 *
 * <ul>
 *   <li>A snapshot newer than the one held is compiled and swapped in and announced
 *       ({@link PolicyChanged}) so open streams are re-checked, then persisted to disk (by the
 *       watcher after it acknowledged). Older or equal ones
 *       change nothing. Either way the control plane has just confirmed what is held: fresh.</li>
 *   <li>A heartbeat confirms the held snapshot when it names a revision the router holds (or an
 *       older one); one naming a newer revision means the snapshot is still on its way, and does
 *       not count.</li>
 * </ul>
 */
@Singleton
public class PolicyUpdates {

    private static final Logger LOG = Logger.getLogger(PolicyUpdates.class);

    private final CurrentPolicy current;
    private final PolicyFreshness freshness;
    private final SnapshotFile file;
    private final Event<PolicyChanged> changed;
    /** Applied but not yet written to the snapshot file. */
    private final AtomicReference<dev.clearance.entitlement.v1.PolicySnapshot> unpersisted = new AtomicReference<>();

    @Inject
    public PolicyUpdates(CurrentPolicy current, PolicyFreshness freshness, SnapshotFile file,
                         Event<PolicyChanged> changed) {
        this.current = current;
        this.freshness = freshness;
        this.file = file;
        this.changed = changed;
    }

    /** At startup: the snapshot on disk, if any, held as stale until the control plane confirms it. */
    public boolean loadFromDisk() {
        var stored = file.read();
        if (stored.isEmpty()) {
            return false;
        }
        try {
            PolicySnapshot compiled = PolicySnapshot.compile(PolicyMapping.toInputs(stored.get()));
            if (current.offer(compiled, CurrentPolicy.Source.DISK)) {
                LOG.infof("started from the policy snapshot on disk (revision %d, %s); stale until "
                        + "entitlement-service confirms it", compiled.revision(), file.path().orElseThrow());
                return true;
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "the policy snapshot on disk could not be compiled; starting without one");
        }
        return false;
    }

    /**
     * Applies a streamed snapshot.
     *
     * @return what is held afterwards, to acknowledge; null when nothing is held (the first
     *         snapshot could not be compiled)
     */
    public CurrentPolicy.Held onSnapshot(dev.clearance.entitlement.v1.PolicySnapshot message) {
        CurrentPolicy.Held held = applySnapshot(message);
        persistApplied();
        return held;
    }

    /**
     * {@link #onSnapshot} without writing the snapshot file: the watcher acknowledges first (the
     * file is for the next start, not for deciding now; its fsync took tens of milliseconds before
     * every acknowledgement), then calls {@link #persistApplied()}.
     */
    public CurrentPolicy.Held applySnapshot(dev.clearance.entitlement.v1.PolicySnapshot message) {
        CurrentPolicy.Held held = current.held();
        long revision = message.getRevision();
        boolean newer = held == null || revision > held.snapshot().revision()
                || held.source() == CurrentPolicy.Source.DISK;
        if (newer) {
            try {
                long start = System.nanoTime();
                PolicySnapshot compiled = PolicySnapshot.compile(PolicyMapping.toInputs(message));
                if (current.offer(compiled)) {
                    if (held != null && held.source() == CurrentPolicy.Source.DISK && revision < held.snapshot().revision()) {
                        LOG.warnf("entitlement-service sent revision %d, older than the disk snapshot's %d; "
                                + "the control plane is the authority", revision, held.snapshot().revision());
                    }
                    long applied = System.nanoTime();
                    freshness.heard();
                    unpersisted.set(message);
                    changed.fire(new PolicyChanged(compiled, false));
                    LOG.infof("applied policy revision %d: compiled in %.1f ms, open streams re-checked in %.1f ms",
                            revision, (applied - start) / 1e6, (System.nanoTime() - applied) / 1e6);
                    return current.held();
                }
            } catch (RuntimeException e) {
                // Keep deciding with the last good snapshot rather than with none; and do not
                // count this as fresh: the router does not hold what the control plane has.
                LOG.errorf(e, "policy revision %d could not be compiled; keeping revision %s", revision,
                        held == null ? "none" : String.valueOf(held.snapshot().revision()));
                return held;
            }
        }
        freshness.heard();
        return current.held();
    }

    /** Writes the last applied snapshot to the snapshot file, if it is not written yet. */
    public void persistApplied() {
        var message = unpersisted.getAndSet(null);
        if (message != null) {
            long start = System.nanoTime();
            file.write(message);
            LOG.debugf("persisted policy revision %d in %.1f ms", (Object) message.getRevision(),
                    (System.nanoTime() - start) / 1e6);
        }
    }

    public void onHeartbeat(PolicyHeartbeat heartbeat) {
        PolicySnapshot held = current.get();
        if (held == null || heartbeat.getRevision() > held.revision()) {
            LOG.debugf("heartbeat for revision %d while holding %s; waiting for its snapshot", heartbeat.getRevision(),
                    held == null ? "none" : String.valueOf(held.revision()));
            return;
        }
        if (current.held().source() == CurrentPolicy.Source.DISK) {
            // Only a streamed snapshot replaces the disk one; it always comes first on a stream.
            return;
        }
        freshness.heard();
    }
}
