package dev.clearance.entitlement.history;

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

    private final DecisionHistoryRepository repository;
    private final Vertx vertx;
    private final Duration retention;
    private final Duration interval;
    private volatile long timer = -1;

    public DecisionHistoryRetention(DecisionHistoryRepository repository, Vertx vertx,
                                    @ConfigProperty(name = "clearance.decision-history.retention", defaultValue = "48h")
                                    Duration retention,
                                    @ConfigProperty(name = "clearance.decision-history.prune-interval",
                                            defaultValue = "10m") Duration interval) {
        if (retention.compareTo(DecisionHistoryService.WINDOW) <= 0 || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("clearance.decision-history.retention must be longer than 24h and "
                    + "prune-interval positive");
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

    public Duration retention() {
        return retention;
    }

    void prune() {
        repository.prune(retention).subscribe().with(
                deleted -> {
                    if (deleted[0] > 0 || deleted[1] > 0) {
                        LOG.infof("pruned %d decision counts and %d batches older than %s", deleted[0], deleted[1],
                                retention);
                    }
                },
                failure -> LOG.warnf("could not prune the decision history: %s", failure.getMessage()));
    }
}
