package dev.clearance.identity.metrics;

import dev.clearance.identity.domain.KycVendor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * identity-service's Prometheus metrics (README "Metrics reference"). Labels are fixed words,
 * vendor ids and gRPC codes: never a name, a document number or anything a request carried.
 */
@Singleton
public class IdentityMetrics {

    /** Label for a webhook path that names no known vendor. */
    static final String OTHER = "other";

    private final MeterRegistry registry;
    private final AtomicInteger changeSubscribers = new AtomicInteger();

    @Inject
    public IdentityMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("clearance.identity.change.subscribers", changeSubscribers, AtomicInteger::get)
                .description("WatchIdentityChanges streams open (routers listening for identity changes)")
                .strongReference(true)
                .register(registry);
    }

    /** One ResolveCaller call ended with {@code code} after {@code elapsed}. */
    public void resolvedCaller(String code, Duration elapsed) {
        Timer.builder("clearance.identity.resolve.caller")
                .description("ResolveCaller time by outcome (gRPC status code)")
                .tags("outcome", code)
                .publishPercentileHistogram()
                .register(registry).record(elapsed);
    }

    public void changeSubscriberOpened() {
        changeSubscribers.incrementAndGet();
    }

    public void changeSubscriberClosed() {
        changeSubscribers.decrementAndGet();
    }

    /** A webhook delivery for {@code vendor} (a path segment) answered with {@code result}. */
    public void webhook(String vendor, String result) {
        Counter.builder("clearance.identity.webhook.events")
                .description("Vendor webhook deliveries by vendor and result (processed, ignored, duplicate, "
                        + "rejected, error)")
                .tags("vendor", knownVendor(vendor), "result", result)
                .register(registry).increment();
    }

    /** {@code count} new screening matches were opened for a subject of {@code subject} type. */
    public void screeningMatches(String subject, int count) {
        if (count > 0) {
            Counter.builder("clearance.identity.screening.matches")
                    .description("Screening matches opened (new hits of a person or organisation on a list)")
                    .tags("subject", subject)
                    .register(registry).increment(count);
        }
    }

    static String knownVendor(String vendor) {
        for (KycVendor known : KycVendor.values()) {
            if (known.id().equals(vendor)) {
                return vendor;
            }
        }
        return OTHER;
    }
}
