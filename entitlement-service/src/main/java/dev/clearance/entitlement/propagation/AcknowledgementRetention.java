package dev.clearance.entitlement.propagation;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Keeps the acknowledgement history bounded. The history is the evidence of when each router
 * started enforcing a revision ("from 21:21:04.310 no router served fable-5"), so the default
 * retention is long (400 days); every replica prunes on its own schedule, which is harmless
 * because the deletes are idempotent.
 */
@ApplicationScoped
public class AcknowledgementRetention {

    private static final Logger LOG = Logger.getLogger(AcknowledgementRetention.class);

    private final PropagationRepository repository;
    private final Vertx vertx;
    private final Duration retention;
    private final Duration interval;
    private volatile long timer = -1;

    public AcknowledgementRetention(PropagationRepository repository, Vertx vertx,
                                    @ConfigProperty(name = "clearance.propagation.acknowledgement-retention",
                                            defaultValue = "P400D") Duration retention,
                                    @ConfigProperty(name = "clearance.propagation.prune-interval",
                                            defaultValue = "1h") Duration interval) {
        if (retention.isNegative() || retention.isZero() || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("acknowledgement-retention and prune-interval must be positive");
        }
        this.repository = repository;
        this.vertx = vertx;
        this.retention = retention;
        this.interval = interval;
    }

    void onStart(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(interval.toMillis(), id -> prune());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    void prune() {
        repository.prune(retention).subscribe().with(
                deleted -> {
                    if (deleted[0] > 0 || deleted[1] > 0) {
                        LOG.infof("pruned %d acknowledgements and %d routers older than %s", deleted[0], deleted[1],
                                retention);
                    }
                },
                // The next interval tries again; nothing depends on the rows being gone.
                failure -> LOG.warnf("could not prune acknowledgements: %s", failure.getMessage()));
    }
}
