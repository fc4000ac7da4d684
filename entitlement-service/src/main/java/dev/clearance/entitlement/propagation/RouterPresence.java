package dev.clearance.entitlement.propagation;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which routers watch this replica now. A router that opens a stream is recorded at once; every
 * presence interval one upsert refreshes {@code last_seen} of all of them, so any replica can
 * tell live routers (seen within the live window) from gone ones, even when no revision has
 * changed for hours. A router that disconnects is simply no longer refreshed and ages out.
 */
@ApplicationScoped
public class RouterPresence {

    private static final Logger LOG = Logger.getLogger(RouterPresence.class);

    private final PropagationRepository repository;
    private final Replica replica;
    private final Vertx vertx;
    private final Duration interval;
    // Router id -> open streams from it (a router reconnecting may briefly hold two).
    private final Map<String, Integer> connected = new ConcurrentHashMap<>();
    private volatile long timer = -1;

    public RouterPresence(PropagationRepository repository, Replica replica, Vertx vertx,
                          @ConfigProperty(name = "clearance.propagation.presence-interval", defaultValue = "5s")
                          Duration interval) {
        this.repository = repository;
        this.replica = replica;
        this.vertx = vertx;
        this.interval = interval;
    }

    void onStart(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(interval.toMillis(), id -> refresh());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** A stream from {@code routerId} opened; unnamed routers (null) are not tracked. */
    public void connected(String routerId) {
        if (routerId == null) {
            return;
        }
        connected.merge(routerId, 1, Integer::sum);
        record(List.of(routerId));
    }

    public void disconnected(String routerId) {
        if (routerId == null) {
            return;
        }
        connected.computeIfPresent(routerId, (id, n) -> n <= 1 ? null : n - 1);
    }

    /** Routers with an open stream here now. */
    public List<String> connectedRouters() {
        return List.copyOf(connected.keySet());
    }

    void refresh() {
        List<String> routers = connectedRouters();
        if (!routers.isEmpty()) {
            record(routers);
        }
    }

    private void record(List<String> routers) {
        repository.seen(routers, replica.id()).subscribe().with(
                ignored -> {
                },
                // The next interval tries again; until then these routers may look less live.
                failure -> LOG.debugf("could not record router presence: %s", failure.getMessage()));
    }
}
