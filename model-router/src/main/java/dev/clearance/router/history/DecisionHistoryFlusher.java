package dev.clearance.router.history;

import dev.clearance.entitlement.v1.MutinyEntitlementServiceGrpc;
import dev.clearance.router.policy.PolicyWatcher;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends the decision counts to entitlement-service every {@code flush-interval} on its own
 * thread (never the event loop, never a request's), waiting for each batch's answer before the
 * next so batches arrive in order. A failed send keeps the batch for the next interval; requests
 * are never slowed or refused because of the history. On shutdown it tries once more.
 */
@ApplicationScoped
public class DecisionHistoryFlusher {

    private static final Logger LOG = Logger.getLogger(DecisionHistoryFlusher.class);

    @GrpcClient("entitlement")
    MutinyEntitlementServiceGrpc.MutinyEntitlementServiceStub entitlement;

    @Inject
    DecisionHistory history;

    @Inject
    PolicyWatcher watcher;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "clearance.router.history.enabled", defaultValue = "true")
    boolean enabled;

    @ConfigProperty(name = "clearance.router.history.flush-interval", defaultValue = "10s")
    Duration interval;

    @ConfigProperty(name = "clearance.router.history.send-deadline", defaultValue = "5s")
    Duration deadline;

    private ScheduledExecutorService scheduler;

    void onStart(@Observes StartupEvent event) {
        registerMetrics();
        if (!enabled) {
            LOG.info("decision history not sent (clearance.router.history.enabled=false): previews will say the "
                    + "history is unknown");
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "decision-history-flush");
            t.setDaemon(true);
            return t;
        });
        long millis = interval.toMillis();
        scheduler.scheduleWithFixedDelay(this::flush, millis, millis, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (scheduler == null) {
            return;
        }
        scheduler.shutdownNow();
        flush(); // best effort: what is still counted goes out once more
    }

    void flush() {
        try {
            history.flush(watcher.routerId(), batch -> entitlement
                    .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                    .recordDecisionCounts(batch)
                    .await().atMost(deadline.plusSeconds(1)));
        } catch (RuntimeException e) {
            // Never let the scheduler die: the next interval tries again.
            LOG.warnf(e, "decision history flush failed");
        }
    }

    private void registerMetrics() {
        Gauge.builder("clearance.router.history.keys", history, DecisionHistory::keys)
                .description("Decision-history counters held (hour, caller, model, fallback, outcome); bounded by "
                        + "clearance.router.history.max-keys")
                .register(registry);
        Gauge.builder("clearance.router.history.pending.counts", history, DecisionHistory::pendingCounts)
                .description("Decision counts in batches not yet stored by entitlement-service")
                .register(registry);
        FunctionCounter.builder("clearance.router.history.recorded", history, DecisionHistory::recorded)
                .description("Generate/StreamGenerate requests counted in the decision history")
                .register(registry);
        FunctionCounter.builder("clearance.router.history.dropped", history, DecisionHistory::dropped)
                .description("Requests not counted in the decision history because its key bound was reached")
                .register(registry);
        FunctionCounter.builder("clearance.router.history.unattributed", history, DecisionHistory::unattributed)
                .description("Decided requests with neither a person nor an organisation (not counted)")
                .register(registry);
        FunctionCounter.builder("clearance.router.history.batches.sent", history, DecisionHistory::batchesSent)
                .description("Decision-count batches stored by entitlement-service")
                .register(registry);
        FunctionCounter.builder("clearance.router.history.batches.failed", history, DecisionHistory::batchesFailed)
                .description("Decision-count batch sends that failed (the batch is kept and sent again)")
                .register(registry);
    }
}
