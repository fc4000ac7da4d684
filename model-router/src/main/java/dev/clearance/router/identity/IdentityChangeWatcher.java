package dev.clearance.router.identity;

import dev.clearance.router.stream.Reconnection;
import dev.clearance.identity.v1.MutinyIdentityServiceGrpc;
import dev.clearance.identity.v1.WatchIdentityChangesRequest;
import dev.clearance.identity.v1.WatchIdentityChangesResponse;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Keeps a {@code WatchIdentityChanges} stream to identity-service open and evicts from
 * {@link CallerDirectory} every cached identity a change names (person, organisation, API key).
 * While the stream is down the directory is told so, and serves no cached identity older than
 * {@code clearance.router.identity-max-staleness}. A stream counts as connected only once it is
 * established, that is when its first message (a heartbeat, sent at once, or a change) arrives:
 * then the whole cache is dropped, since changes made while no stream was open were missed, and
 * from then on the stream vouches for cached entries. A connection attempt that fails before that
 * (identity-service down) neither empties the cache nor claims a connection. Reconnects with
 * capped exponential backoff and jitter, like {@code PolicyWatcher}.
 *
 * <p>identity-service sends a heartbeat on the stream every few seconds. A stream that has sent
 * nothing (no change, no heartbeat) for {@code clearance.router.identity-watch.heartbeat-timeout}
 * is treated as dead even if the connection looks open (a peer that vanished without a reset):
 * it is cancelled, counted as down (so the staleness bound applies), and reopened.
 */
@ApplicationScoped
public class IdentityChangeWatcher {

    private static final Logger LOG = Logger.getLogger(IdentityChangeWatcher.class);

    @GrpcClient("identity")
    MutinyIdentityServiceGrpc.MutinyIdentityServiceStub identity;

    @Inject
    CallerDirectory directory;

    @ConfigProperty(name = "clearance.router.identity-watch.enabled", defaultValue = "true")
    boolean enabled;

    @ConfigProperty(name = "clearance.router.identity-watch.initial-backoff", defaultValue = "200ms")
    Duration initialBackoff;

    @ConfigProperty(name = "clearance.router.identity-watch.max-backoff", defaultValue = "10s")
    Duration maxBackoff;

    /** Three heartbeat intervals of identity-service (5 s); 0 turns the check off. */
    @ConfigProperty(name = "clearance.router.identity-watch.heartbeat-timeout", defaultValue = "15s")
    Duration heartbeatTimeout;

    private volatile long lastHeardNanos = System.nanoTime();
    /** Bumped per connection; guarded by this. */
    private volatile long generation;
    /** A stream is subscribed and has not ended. */
    private volatile boolean open;
    /** The current stream has delivered its first message (it vouches for the cache); guarded by this. */
    private volatile boolean established;
    private volatile Cancellable liveness;

    private volatile boolean stopped;
    private volatile Cancellable stream;
    private volatile int failures;

    void onStart(@Observes StartupEvent event) {
        directory.changeStreamConnected(false);
        if (!enabled) {
            LOG.warn("identity watch disabled (clearance.router.identity-watch.enabled=false): cached identities "
                    + "are reused at most clearance.router.identity-max-staleness");
            return;
        }
        connect();
        if (!heartbeatTimeout.isZero() && !heartbeatTimeout.isNegative()) {
            liveness = Multi.createFrom().ticks().every(Duration.ofMillis(Math.max(100, heartbeatTimeout.toMillis() / 5)))
                    .onOverflow().drop()
                    .subscribe().with(tick -> checkAlive(), failure -> LOG.warn("identity watch liveness check stopped", failure));
        }
    }

    /** A connected stream silent for longer than the heartbeat timeout is dead: cut it and reconnect. */
    void checkAlive() {
        if (stopped || !open || System.nanoTime() - lastHeardNanos <= heartbeatTimeout.toNanos()) {
            return;
        }
        synchronized (this) {
            if (!open) {
                return;
            }
            open = false;
            generation++;
        }
        Cancellable silent = stream;
        if (silent != null) {
            silent.cancel();
        }
        directory.changeStreamConnected(false);
        LOG.warnf("identity watch heard nothing (not even a heartbeat) for %s; reconnecting", heartbeatTimeout);
        reconnectLater(++failures);
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped = true;
        Cancellable check = liveness;
        if (check != null) {
            check.cancel();
        }
        Cancellable open = stream;
        if (open != null) {
            open.cancel();
        }
    }

    private void connect() {
        if (stopped) {
            return;
        }
        // Not connected yet: the cache is dropped and trusted only when the stream proves itself
        // established (first message, see onMessage); an attempt that fails keeps both as they are.
        lastHeardNanos = System.nanoTime();
        long mine;
        synchronized (this) {
            mine = ++generation;
            open = true;
            established = false;
        }
        // Callbacks of a stream the liveness check gave up on are ignored (generation moved on).
        stream = identity.watchIdentityChanges(WatchIdentityChangesRequest.getDefaultInstance())
                .subscribe().with(
                        change -> onMessage(mine, change),
                        failure -> {
                            if (ended(mine)) {
                                onFailure(failure);
                            }
                        },
                        () -> {
                            if (ended(mine)) {
                                onCompletion();
                            }
                        });
    }

    /** Whether stream {@code mine} is the current one; it is not open any more either way. */
    private synchronized boolean ended(long mine) {
        if (mine != generation) {
            return false;
        }
        open = false;
        return true;
    }

    /**
     * A message of stream {@code mine}. The first one shows the stream is established: identity-service
     * subscribed it to its changes before sending anything, so every change from here on arrives.
     * Entries cached before may have missed changes made while no stream was open: drop them, then
     * let the stream vouch for the cache.
     */
    void onMessage(long mine, WatchIdentityChangesResponse change) {
        if (mine != generation) {
            return;
        }
        if (!established) {
            // Under the lock, so a liveness check cutting this stream cannot be overtaken by a late
            // "connected" (it bumps the generation first).
            synchronized (this) {
                if (mine != generation) {
                    return;
                }
                if (!established) {
                    established = true;
                    directory.evictAll();
                    directory.changeStreamConnected(true);
                    LOG.debug("identity watch established; cached identities dropped");
                }
            }
        }
        apply(change);
    }

    void apply(WatchIdentityChangesResponse change) {
        failures = 0;
        lastHeardNanos = System.nanoTime();
        if (change.getHeartbeat()) {
            return;
        }
        int evicted = 0;
        if (!change.getPerson().isEmpty()) {
            evicted += directory.evictPerson(change.getPerson());
        }
        if (!change.getOrganisation().isEmpty()) {
            evicted += directory.evictOrganisation(change.getOrganisation());
        }
        if (!change.getApiKey().isEmpty()) {
            evicted += directory.evictApiKey(change.getApiKey());
        }
        LOG.debugf("identity change (revision %d): %d cached identities dropped", change.getIdentityRevision(), evicted);
    }

    private void onFailure(Throwable failure) {
        directory.changeStreamConnected(false);
        if (stopped) {
            return;
        }
        int attempt = ++failures;
        Reconnection.logFailure(LOG, "identity watch", attempt, failure);
        reconnectLater(attempt);
    }

    private void onCompletion() {
        directory.changeStreamConnected(false);
        LOG.info("identity watch stream ended; reconnecting");
        reconnectLater(++failures);
    }

    private void reconnectLater(int attempt) {
        if (stopped) {
            return;
        }
        Reconnection.schedule(attempt, initialBackoff, maxBackoff, this::connect);
    }
}
