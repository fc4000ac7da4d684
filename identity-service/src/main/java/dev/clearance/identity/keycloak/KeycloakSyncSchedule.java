package dev.clearance.identity.keycloak;

import dev.clearance.identity.domain.KeycloakSyncRun;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * The periodic sync: first after {@code initial-delay}, then every {@code interval}; after a
 * failure the next attempt comes after {@code min-backoff}, doubling per consecutive failure up
 * to {@code max-backoff}. A failing Keycloak never takes the service down: lookups of known
 * persons keep working, and health says since when the sync fails.
 */
@ApplicationScoped
public class KeycloakSyncSchedule {

    private static final Logger LOG = Logger.getLogger(KeycloakSyncSchedule.class);

    @Inject
    KeycloakSync sync;
    @Inject
    KeycloakSyncState state;
    @Inject
    KeycloakSyncConfig config;
    @Inject
    Vertx vertx;

    private volatile boolean stopped;
    private volatile long timer = -1;

    void onStart(@Observes StartupEvent event) {
        if (!sync.configured()) {
            LOG.info("Keycloak sync off: no clearance.keycloak.admin.client-secret");
            return;
        }
        if (!config.sync().enabled()) {
            LOG.info("periodic Keycloak sync off (clearance.keycloak.sync.enabled=false); SyncKeycloak still works");
            return;
        }
        state.onFailure(this::retryWithBackoff);
        schedule(config.sync().initialDelay());
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Replaces the pending timer: one attempt is ever scheduled. */
    private synchronized void schedule(Duration delay) {
        if (stopped) {
            return;
        }
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        timer = vertx.setTimer(Math.max(1, delay.toMillis()), id -> runOnce());
    }

    private void runOnce() {
        sync.run(KeycloakSyncRun.Trigger.PERIODIC).subscribe().with(
                report -> schedule(config.sync().interval()),
                // retryWithBackoff already ran (the state's failure hook)
                failure -> { });
    }

    private void retryWithBackoff() {
        KeycloakSyncState.View v = state.view();
        int failures = Math.max(1, v.consecutiveFailures());
        Duration next = backoff(failures, config.sync().minBackoff(), config.sync().maxBackoff());
        LOG.logf(failures == 1 ? Logger.Level.WARN : Logger.Level.DEBUG,
                "Keycloak sync failed (%d in a row): %s; next attempt in %s", failures, v.lastFailure(), next);
        schedule(next);
    }

    static Duration backoff(int failures, Duration min, Duration max) {
        long millis = min.toMillis();
        for (int i = 1; i < failures && millis < max.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }
}
