package dev.clearance.router.policy;

import dev.clearance.router.stream.Reconnection;
import dev.clearance.entitlement.v1.AcknowledgePolicyRequest;
import dev.clearance.entitlement.v1.MutinyEntitlementServiceGrpc;
import dev.clearance.entitlement.v1.WatchPolicyRequest;
import dev.clearance.entitlement.v1.WatchPolicyResponse;
import com.google.protobuf.Timestamp;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
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
import java.util.concurrent.TimeUnit;

/**
 * Keeps a {@code WatchPolicy} stream to entitlement-service open for the router's whole life.
 * Each message is handled on a worker thread (never on the event loop, never on the request
 * path) by {@link PolicyUpdates}; after each snapshot message the router acknowledges the
 * revision it holds, with when it applied it. Before the first connect it loads the snapshot
 * file, if any, so it can serve (stale) while the control plane is down. When the stream fails
 * or ends it reconnects with capped exponential backoff and jitter, forever.
 */
@ApplicationScoped
public class PolicyWatcher {

    private static final Logger LOG = Logger.getLogger(PolicyWatcher.class);

    @GrpcClient("entitlement")
    MutinyEntitlementServiceGrpc.MutinyEntitlementServiceStub entitlement;

    @Inject
    PolicyUpdates updates;

    @ConfigProperty(name = "clearance.router.id")
    Optional<String> configuredRouterId;

    @ConfigProperty(name = "clearance.router.policy-watch.enabled", defaultValue = "true")
    boolean enabled;

    @ConfigProperty(name = "clearance.router.policy-watch.initial-backoff", defaultValue = "200ms")
    Duration initialBackoff;

    @ConfigProperty(name = "clearance.router.policy-watch.max-backoff", defaultValue = "10s")
    Duration maxBackoff;

    @ConfigProperty(name = "clearance.router.acknowledge-deadline", defaultValue = "5s")
    Duration acknowledgeDeadline;

    private volatile boolean stopped;
    private volatile Cancellable stream;
    private volatile int failures;
    private String routerId;

    void onStart(@Observes StartupEvent event) {
        routerId = configuredRouterId.filter(id -> !id.isBlank()).orElseGet(PolicyWatcher::defaultRouterId);
        updates.loadFromDisk();
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
                .invoke(m -> {
                    if (m.hasSnapshot()) {
                        LOG.debugf("policy revision %d received", m.getSnapshot().getRevision());
                    }
                })
                // Compiling a large snapshot takes real time: keep it off the gRPC event loop.
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .subscribe().with(this::apply, this::onFailure, this::onCompletion);
    }

    private void apply(WatchPolicyResponse message) {
        failures = 0;
        switch (message.getEventCase()) {
            case SNAPSHOT -> {
                // Acknowledged before the snapshot file is written: the file only serves the next start.
                acknowledge(updates.applySnapshot(message.getSnapshot()));
                updates.persistApplied();
            }
            case HEARTBEAT -> updates.onHeartbeat(message.getHeartbeat());
            default -> LOG.debugf("ignoring an empty policy stream message");
        }
    }

    /**
     * Tells the replica which revision this router decides with, and since when. Sent after every
     * snapshot message (the first one on each stream included), so a reconnect re-announces it; a
     * lost acknowledgement is repeated by the next one.
     */
    private void acknowledge(CurrentPolicy.Held held) {
        if (held == null) {
            return;
        }
        AcknowledgePolicyRequest request = AcknowledgePolicyRequest.newBuilder()
                .setRouterId(routerId)
                .setRevision(held.snapshot().revision())
                .setApplyTime(Timestamp.newBuilder().setSeconds(held.appliedAt().getEpochSecond())
                        .setNanos(held.appliedAt().getNano()))
                .build();
        entitlement.withDeadlineAfter(acknowledgeDeadline.toMillis(), TimeUnit.MILLISECONDS)
                .acknowledgePolicy(request)
                .subscribe().with(
                        ok -> LOG.debugf("acknowledged policy revision %d (%.1f ms after it was applied)",
                                (Object) request.getRevision(),
                                java.time.Duration.between(held.appliedAt(), java.time.Instant.now()).toNanos() / 1e6),
                        failure -> LOG.warnf("could not acknowledge policy revision %d: %s", request.getRevision(),
                                failure.getMessage()));
    }

    private void onFailure(Throwable failure) {
        if (stopped) {
            return;
        }
        int attempt = ++failures;
        Reconnection.logFailure(LOG, "policy watch", attempt, failure);
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
        Reconnection.schedule(attempt, initialBackoff, maxBackoff, this::connect);
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
