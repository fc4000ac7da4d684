package dev.clearance.router.identity;

import dev.clearance.router.stream.Reconnection;
import dev.clearance.identity.v1.MutinyIdentityServiceGrpc;
import dev.clearance.identity.v1.WatchIdentityChangesRequest;
import dev.clearance.identity.v1.WatchIdentityChangesResponse;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
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
 * {@code clearance.router.identity-max-staleness}; when it (re)connects the whole cache is dropped,
 * since changes made meanwhile were missed. Reconnects with capped exponential backoff and jitter,
 * like {@code PolicyWatcher}.
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
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped = true;
        Cancellable open = stream;
        if (open != null) {
            open.cancel();
        }
    }

    private void connect() {
        if (stopped) {
            return;
        }
        // Entries cached before this point may have missed changes: drop them, then trust the stream.
        directory.evictAll();
        directory.changeStreamConnected(true);
        stream = identity.watchIdentityChanges(WatchIdentityChangesRequest.getDefaultInstance())
                .subscribe().with(this::apply, this::onFailure, this::onCompletion);
    }

    void apply(WatchIdentityChangesResponse change) {
        failures = 0;
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
