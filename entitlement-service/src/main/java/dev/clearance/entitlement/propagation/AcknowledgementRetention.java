package dev.clearance.entitlement.propagation;

import dev.clearance.entitlement.service.PeriodicPrune;
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

    private final PeriodicPrune prune;

    public AcknowledgementRetention(PropagationRepository repository, Vertx vertx,
                                    @ConfigProperty(name = "clearance.propagation.acknowledgement-retention",
                                            defaultValue = "P400D") Duration retention,
                                    @ConfigProperty(name = "clearance.propagation.prune-interval",
                                            defaultValue = "1h") Duration interval) {
        if (retention.isNegative() || retention.isZero() || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("acknowledgement-retention and prune-interval must be positive");
        }
        this.prune = new PeriodicPrune(LOG, vertx, interval, () -> repository.prune(retention),
                "pruned %d acknowledgements and %d routers older than " + retention, "acknowledgements");
    }

    void onStart(@Observes StartupEvent event) {
        prune.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        prune.stop();
    }
}
