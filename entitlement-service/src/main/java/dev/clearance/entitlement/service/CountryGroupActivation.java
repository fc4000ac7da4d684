package dev.clearance.entitlement.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Brings a country-group table loaded ahead of its effective date into force on that date: every
 * {@code clearance.country-groups.activation-check-interval} (1 min) each replica asks whether a
 * loaded table reached its date unpublished and, if so, writes a new revision (routers only take a
 * newer revision). Any other write on or after the date applies the table as well; this makes sure
 * one happens. Runs on its own Vert.x context, like the snapshot rebuilds.
 */
@ApplicationScoped
public class CountryGroupActivation {

    private static final Logger LOG = Logger.getLogger(CountryGroupActivation.class);

    private final CountryGroupTableService service;
    private final Vertx vertx;
    private final Duration interval;
    private volatile long timer = -1;

    public CountryGroupActivation(CountryGroupTableService service, Vertx vertx,
                                  @ConfigProperty(name = "clearance.country-groups.activation-check-interval",
                                          defaultValue = "1m") Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("clearance.country-groups.activation-check-interval must be positive");
        }
        this.service = service;
        this.vertx = vertx;
        this.interval = interval;
    }

    void onStart(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(interval.toMillis(), id -> check());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    void check() {
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> service.publishDue().subscribe().with(
                wrote -> { },
                // The next tick tries again.
                failure -> LOG.warnf("could not publish a country-group table that reached its date: %s",
                        failure.getMessage())));
    }
}
