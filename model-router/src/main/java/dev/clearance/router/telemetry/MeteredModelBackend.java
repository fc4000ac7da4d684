package dev.clearance.router.telemetry;

import dev.clearance.router.backend.ModelBackend;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

/**
 * Times every backend call and counts its failures, whatever the backend is. A call cancelled
 * by the caller or by a policy cut is not recorded: it neither succeeded nor failed.
 */
@Decorator
@Priority(10)
public class MeteredModelBackend implements ModelBackend {

    static final String GENERATE = "generate";
    static final String STREAM = "stream";

    @Inject
    @Delegate
    @Any
    ModelBackend delegate;

    @Inject
    RouterMetrics metrics;

    @Override
    public Uni<String> generate(String model, String prompt) {
        return Uni.createFrom().deferred(() -> {
            long start = System.nanoTime();
            return delegate.generate(model, prompt).onTermination().invoke((item, failure, cancelled) -> {
                if (!cancelled) {
                    metrics.backendCall(model, GENERATE, System.nanoTime() - start, failure != null);
                }
            });
        });
    }

    @Override
    public Multi<String> stream(String model, String prompt) {
        return Multi.createFrom().deferred(() -> {
            long start = System.nanoTime();
            return delegate.stream(model, prompt).onTermination().invoke((failure, cancelled) -> {
                if (!cancelled) {
                    metrics.backendCall(model, STREAM, System.nanoTime() - start, failure != null);
                }
            });
        });
    }
}
