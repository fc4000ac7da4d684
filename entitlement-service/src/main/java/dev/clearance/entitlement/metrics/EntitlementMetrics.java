package dev.clearance.entitlement.metrics;

import dev.clearance.entitlement.service.CurrentPolicy;
import dev.clearance.entitlement.service.PolicyHolder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * entitlement-service's Prometheus metrics (README "Metrics reference"): the revision this
 * replica serves, the routers watching it, heartbeats sent, and propagation lag.
 */
@Singleton
public class EntitlementMetrics {

    // Router ids are chosen by routers; bound what is remembered about them.
    private static final int MAX_ROUTERS = 10_000;

    private final Counter heartbeats;
    private final Timer propagationLag;
    // router id -> highest revision whose lag was recorded (re-acknowledgements are not new propagation).
    private final ConcurrentMap<String, Long> recorded = new ConcurrentHashMap<>();

    @Inject
    public EntitlementMetrics(MeterRegistry registry, PolicyHolder holder) {
        Gauge.builder("clearance.entitlement.policy.revision", holder, EntitlementMetrics::revision)
                .description("Revision of the policy snapshot this replica serves (-1 before the first)")
                .strongReference(true)
                .register(registry);
        Gauge.builder("clearance.entitlement.routers.connected", holder, PolicyHolder::watcherCount)
                .description("WatchPolicy streams open on this replica (one per connected router)")
                .strongReference(true)
                .register(registry);
        heartbeats = Counter.builder("clearance.entitlement.heartbeats.sent")
                .description("Heartbeats sent on WatchPolicy streams")
                .register(registry);
        propagationLag = Timer.builder("clearance.entitlement.propagation.lag")
                .description("From this replica compiling a revision (right after its commit) to a router "
                        + "applying it, per router acknowledgement, by the router's clock")
                .publishPercentileHistogram()
                .register(registry);
    }

    public void heartbeatSent() {
        heartbeats.increment();
    }

    /**
     * A router says it applied {@code revision} at {@code applied}. Recorded once per router and
     * revision, only for the revision this replica holds (it knows when that one was compiled).
     */
    public void acknowledged(CurrentPolicy held, String routerId, long revision, Instant applied) {
        if (held == null || held.revision() != revision || !held.proto().hasCompileTime() || routerId.isEmpty()) {
            return;
        }
        Long before = recorded.get(routerId);
        if (before != null && before >= revision) {
            return;
        }
        if (before == null && recorded.size() >= MAX_ROUTERS) {
            recorded.clear();
        }
        recorded.put(routerId, revision);
        var compile = held.proto().getCompileTime();
        Duration lag = Duration.between(Instant.ofEpochSecond(compile.getSeconds(), compile.getNanos()), applied);
        // Clocks differ between machines: a router ahead of the compile time is recorded as zero lag.
        propagationLag.record(lag.isNegative() ? Duration.ZERO : lag);
    }

    private static double revision(PolicyHolder holder) {
        CurrentPolicy current = holder.current();
        return current == null ? -1 : current.revision();
    }
}
