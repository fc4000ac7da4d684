package dev.clearance.entitlement.history;

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
 * Keeps the decision history bounded: the preview looks back 24 hours, so the default keeps 48
 * (a day of slack for a late batch). Every replica prunes on its own schedule; the deletes are
 * idempotent.
 */
@ApplicationScoped
public class DecisionHistoryRetention {

    private static final Logger LOG = Logger.getLogger(DecisionHistoryRetention.class);

    private final Duration retention;
    private final PeriodicPrune prune;

    public DecisionHistoryRetention(DecisionHistoryRepository repository, Vertx vertx,
                                    @ConfigProperty(name = "clearance.decision-history.retention", defaultValue = "48h")
                                    Duration retention,
                                    @ConfigProperty(name = "clearance.decision-history.prune-interval",
                                            defaultValue = "10m") Duration interval) {
        if (retention.compareTo(DecisionHistoryService.WINDOW) <= 0 || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("clearance.decision-history.retention must be longer than 24h and "
                    + "prune-interval positive");
        }
        this.retention = retention;
        this.prune = new PeriodicPrune(LOG, vertx, interval, () -> repository.prune(retention),
                "pruned %d decision counts and %d batches older than " + retention, "the decision history");
    }

    void onStart(@Observes StartupEvent event) {
        prune.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        prune.stop();
    }

    public Duration retention() {
        return retention;
    }
}
