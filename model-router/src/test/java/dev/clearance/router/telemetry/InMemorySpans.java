package dev.clearance.router.telemetry;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Spans finished in the router's tests, kept in memory (Quarkus uses any SpanExporter bean, and
 * then creates no OTLP exporter, so tests never try to reach a collector).
 */
@Singleton
public class InMemorySpans {

    @Produces
    @Singleton
    InMemorySpanExporter exporter() {
        return InMemorySpanExporter.create();
    }
}
