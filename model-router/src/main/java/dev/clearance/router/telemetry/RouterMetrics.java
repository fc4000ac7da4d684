package dev.clearance.router.telemetry;

import dev.clearance.policy.Decision;
import dev.clearance.policy.Outcome;
import dev.clearance.policy.PolicySnapshot;
import dev.clearance.policy.Reason;
import dev.clearance.router.identity.CallerDirectory;
import dev.clearance.router.policy.CurrentPolicy;
import dev.clearance.router.policy.PolicyFreshness;
import dev.clearance.router.service.OpenStreams;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The router's Prometheus metrics (README "Metrics reference"). Label values are canonical ids
 * from the policy snapshot (families, versions, reason codes, directive names) or fixed words,
 * never what a caller typed: a request for an unknown model is counted under
 * {@code clearance_router_refusals_total{reason="MODEL_NOT_FOUND"}}, without its name.
 */
@Singleton
public class RouterMetrics {

    /** Label value where a decision has no such thing (no served version, no reason). */
    public static final String NONE = "none";

    private final MeterRegistry registry;
    // Meters resolved once per label set, then found with a plain get (no builder, no registry lookup,
    // no lock: ConcurrentHashMap.computeIfAbsent locks the bin when the key is not its first node).
    private final ConcurrentMap<DecisionKey, Counter> decisions = new ConcurrentHashMap<>();
    private final ConcurrentMap<DecisionKey, Counter> fallbacks = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> refusals = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> shadowDenials = new ConcurrentHashMap<>();
    private final ConcurrentMap<BackendKey, Timer> backendLatency = new ConcurrentHashMap<>();
    private final ConcurrentMap<BackendKey, Counter> backendErrors = new ConcurrentHashMap<>();
    private final Counter streamsCut;

    private record DecisionKey(String outcome, String reason, String family, String requested, String served) {
    }

    private record BackendKey(String model, String call) {
    }

    @Inject
    public RouterMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.streamsCut = Counter.builder("clearance.router.streams.cut")
                .description("Streams in flight ended because a new (or stale) policy refused the version they served")
                .register(registry);
    }

    /** Gauges over state other beans hold; registered at startup so they exist before any traffic. */
    void registerGauges(@Observes StartupEvent event, CurrentPolicy policy, PolicyFreshness freshness,
                        CallerDirectory callers, OpenStreams streams) {
        Gauge.builder("clearance.router.policy.revision", policy, RouterMetrics::heldRevision)
                .description("Revision of the policy snapshot this router decides with (-1 before the first)")
                .register(registry);
        Gauge.builder("clearance.router.policy.snapshot.age", freshness, RouterMetrics::secondsSinceHeard)
                .description("Seconds since the control plane last confirmed the held snapshot (snapshot or "
                        + "heartbeat); -1 if never")
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder("clearance.router.policy.stale", freshness, f -> f.isStale() ? 1 : 0)
                .description("1 while the policy is stale (controlled models refused with POLICY_STALE), else 0")
                .register(registry);
        Gauge.builder("clearance.router.identity.cache.size", callers, CallerDirectory::size)
                .description("Resolved callers held in the identity cache")
                .register(registry);
        FunctionCounter.builder("clearance.router.identity.cache.hits", callers, CallerDirectory::hits)
                .description("Requests answered from the identity cache (no identity-service call)")
                .register(registry);
        FunctionCounter.builder("clearance.router.identity.cache.misses", callers, CallerDirectory::misses)
                .description("Requests that had to ask identity-service (or join a resolution under way)")
                .register(registry);
        for (CallerDirectory.EvictionCause cause : CallerDirectory.EvictionCause.values()) {
            FunctionCounter.builder("clearance.router.identity.cache.evictions", callers, c -> c.evictions(cause))
                    .description("Cached callers dropped, by cause: change (identity change stream or reconnect), "
                            + "expired (TTL or staleness), size (bound)")
                    .tags("cause", cause.label())
                    .register(registry);
        }
        Gauge.builder("clearance.router.streams.open", streams, OpenStreams::size)
                .description("StreamGenerate calls in flight")
                .register(registry);
    }

    /** One engine decision made for a request (Generate, StreamGenerate, ExplainAccess). */
    public void decided(Decision decision) {
        Reason primary = decision.primaryReason();
        DecisionKey key = new DecisionKey(decision.outcome().name(),
                primary == null ? NONE : primary.code().name(),
                orNone(decision.family()), orNone(decision.requestedVersion()), orNone(decision.servedModel()));
        meter(decisions, key, k -> Counter.builder("clearance.router.decisions")
                .description("Decisions by outcome, primary reason, family, requested and served version")
                .tags(Tags.of("outcome", k.outcome(), "reason", k.reason(), "family", k.family(),
                        "requested", k.requested(), "served", k.served()))
                .register(registry)).increment();
        if (decision.outcome() == Outcome.ALLOW_FALLBACK) {
            meter(fallbacks, key, k -> Counter.builder("clearance.router.fallbacks")
                    .description("Decisions served by an older version than the one requested")
                    .tags("family", k.family(), "requested", k.requested(), "served", k.served())
                    .register(registry)).increment();
        }
        for (Reason shadow : decision.shadowReasons()) {
            String directive = shadow.directive() == null ? NONE : shadow.directive();
            meter(shadowDenials, directive, d -> Counter.builder("clearance.router.shadow.denials")
                    .description("Decisions a directive in shadow mode would have denied")
                    .tags("directive", d)
                    .register(registry)).increment();
        }
    }

    /** A request refused before or instead of an engine decision, by ErrorInfo reason. */
    public void refused(String reason) {
        meter(refusals, reason, r -> Counter.builder("clearance.router.refusals")
                .description("Requests refused without an engine decision (credential, no policy, identity "
                        + "outage, unknown or invalid model), by ErrorInfo reason")
                .tags("reason", r)
                .register(registry)).increment();
    }

    /** A backend call for {@code model} ({@code call} = generate or stream) ended after {@code elapsedNanos}. */
    public void backendCall(String model, String call, long elapsedNanos, boolean failed) {
        BackendKey key = new BackendKey(orNone(model), call);
        meter(backendLatency, key, k -> Timer.builder("clearance.router.backend.latency")
                .description("Backend call time (stream: until the last chunk), successful or not")
                .tags("model", k.model(), "call", k.call())
                .publishPercentileHistogram()
                .register(registry)).record(elapsedNanos, TimeUnit.NANOSECONDS);
        if (failed) {
            meter(backendErrors, key, k -> Counter.builder("clearance.router.backend.errors")
                    .description("Backend calls that failed")
                    .tags("model", k.model(), "call", k.call())
                    .register(registry)).increment();
        }
    }

    private static <K, M> M meter(ConcurrentMap<K, M> meters, K key, Function<K, M> register) {
        M meter = meters.get(key);
        return meter != null ? meter : meters.computeIfAbsent(key, register);
    }

    /** {@code count} open streams were just cut by a policy change. */
    public void streamsCut(int count) {
        if (count > 0) {
            streamsCut.increment(count);
        }
    }

    private static String orNone(String value) {
        return value == null || value.isEmpty() ? NONE : value;
    }

    private static double heldRevision(CurrentPolicy policy) {
        PolicySnapshot snapshot = policy.get();
        return snapshot == null ? -1 : snapshot.revision();
    }

    private static double secondsSinceHeard(PolicyFreshness freshness) {
        Duration since = freshness.sinceHeard();
        return since == null ? -1 : since.toNanos() / 1e9;
    }
}
