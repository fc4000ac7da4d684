package dev.clearance.router.policy;

import dev.clearance.api.mapping.PolicyMapping;
import dev.clearance.entitlement.v1.MutinyEntitlementServiceGrpc;
import dev.clearance.entitlement.v1.WatchPolicyRequest;
import dev.clearance.entitlement.v1.WatchPolicyResponse;
import dev.clearance.policy.PolicySnapshot;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Keeps a {@code WatchPolicy} stream to entitlement-service open for the router's whole life:
 * each snapshot is compiled on a worker thread (never on the event loop, never on the
 * request path) and offered to {@link CurrentPolicy}. When the stream fails or ends it
 * reconnects with capped exponential backoff and jitter, forever.
 */
@ApplicationScoped
public class PolicyWatcher {

    private static final Logger LOG = Logger.getLogger(PolicyWatcher.class);

    @GrpcClient("entitlement")
    MutinyEntitlementServiceGrpc.MutinyEntitlementServiceStub entitlement;

    @Inject
    CurrentPolicy current;

    @ConfigProperty(name = "clearance.router.id")
    Optional<String> configuredRouterId;

    @ConfigProperty(name = "clearance.router.policy-watch.enabled", defaultValue = "true")
    boolean enabled;

    @ConfigProperty(name = "clearance.router.policy-watch.initial-backoff", defaultValue = "200ms")
    Duration initialBackoff;

    @ConfigProperty(name = "clearance.router.policy-watch.max-backoff", defaultValue = "10s")
    Duration maxBackoff;

    private volatile boolean stopped;
    private volatile Cancellable stream;
    private volatile int failures;
    private String routerId;

    void onStart(@Observes StartupEvent event) {
        routerId = configuredRouterId.filter(id -> !id.isBlank()).orElseGet(PolicyWatcher::defaultRouterId);
        if (!enabled) {
            LOG.warn("policy watch disabled (clearance.router.policy-watch.enabled=false): every request is refused");
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

    public String routerId() {
        return routerId;
    }

    private void connect() {
        if (stopped) {
            return;
        }
        stream = entitlement.watchPolicy(WatchPolicyRequest.newBuilder().setRouterId(routerId).build())
                // Compiling a large snapshot takes real time: keep it off the gRPC event loop.
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .subscribe().with(this::apply, this::onFailure, this::onCompletion);
    }

    private void apply(WatchPolicyResponse message) {
        failures = 0;
        if (!message.hasSnapshot()) {
            return;
        }
        long revision = message.getSnapshot().getRevision();
        PolicySnapshot held = current.get();
        if (held != null && revision <= held.revision()) {
            LOG.debugf("ignoring policy revision %d (holding %d)", revision, held.revision());
            return;
        }
        try {
            long start = System.nanoTime();
            PolicySnapshot compiled = PolicySnapshot.compile(PolicyMapping.toInputs(message.getSnapshot()));
            if (current.offer(compiled)) {
                LOG.infof("applied policy revision %d (compiled in %d ms, router %s)", revision,
                        (System.nanoTime() - start) / 1_000_000, routerId);
            }
        } catch (RuntimeException e) {
            // Keep deciding with the last good snapshot rather than with none.
            LOG.errorf(e, "policy revision %d could not be compiled; keeping revision %s", revision,
                    held == null ? "none" : String.valueOf(held.revision()));
        }
    }

    private void onFailure(Throwable failure) {
        if (stopped) {
            return;
        }
        int attempt = ++failures;
        String message = "policy watch failed (" + failure.getClass().getSimpleName() + ": "
                + failure.getMessage() + "); reconnecting";
        // One warning per outage, not one per retry.
        if (attempt == 1) {
            LOG.warn(message);
        } else {
            LOG.debug(message);
        }
        reconnectLater(attempt);
    }

    private void onCompletion() {
        LOG.info("policy watch stream ended; reconnecting");
        reconnectLater(++failures);
    }

    private void reconnectLater(int attempt) {
        if (stopped) {
            return;
        }
        long base = initialBackoff.toMillis() << Math.min(attempt - 1, 16);
        long capped = Math.min(maxBackoff.toMillis(), Math.max(1, base));
        // Jitter spreads a fleet's reconnects after an entitlement-service restart.
        long delay = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
        Uni.createFrom().voidItem()
                .onItem().delayIt().by(Duration.ofMillis(delay))
                .subscribe().with(ignored -> connect(), e -> reconnectLater(attempt));
    }

    private static String defaultRouterId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "router";
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
