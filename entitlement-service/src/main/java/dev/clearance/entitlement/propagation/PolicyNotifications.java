package dev.clearance.entitlement.propagation;

import dev.clearance.entitlement.repository.PolicyRevisionRepository;
import dev.clearance.entitlement.service.PolicyChange;
import dev.clearance.entitlement.service.PolicyRefresh;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code LISTEN}s on the policy channel over its own PostgreSQL connection (Vert.x
 * {@link PgSubscriber}, reconnecting forever). Every notification, from this replica's own
 * writes or any other's, asks {@link PolicyRefresh} for a rebuild (coalesced, skipped when the
 * named revision is already held), or hands it the directive change the payload carries
 * ({@link PolicyChange}), applied without a rebuild when it follows the held revision. Each time the LISTEN is (re)established it rebuilds once
 * more, because notifications sent while it was down are lost.
 *
 * <p>While the LISTEN is down this replica cannot know whether another one wrote, so it stops
 * vouching for its snapshot: no heartbeats (its routers go stale after their bound) and
 * readiness is DOWN.
 */
@ApplicationScoped
public class PolicyNotifications {

    private static final Logger LOG = Logger.getLogger(PolicyNotifications.class);

    private final Vertx vertx;
    private final PolicyRefresh refresh;
    private final String channel;
    private final PgConnectOptions options;
    private final Duration reconnectInterval;

    private volatile PgSubscriber subscriber;
    private volatile boolean listening;
    private volatile Instant listeningSince;
    private volatile boolean stopped;
    private volatile long notifications;

    public PolicyNotifications(Vertx vertx, PolicyRefresh refresh, PolicyRevisionRepository revisions,
                               @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
                               @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
                               @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password,
                               @ConfigProperty(name = "clearance.policy.listen.reconnect-interval", defaultValue = "1s")
                               Duration reconnectInterval) {
        this.vertx = vertx;
        this.refresh = refresh;
        this.channel = revisions.channel();
        this.reconnectInterval = reconnectInterval;
        this.options = PgConnectOptions.fromUri(url.startsWith("vertx-reactive:") ? url.substring(15) : url)
                // Dead peers are noticed by the OS even without traffic on a quiet channel.
                .setTcpKeepAlive(true);
        user.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
    }

    void onStart(@Observes StartupEvent event) {
        connect();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped = true;
        listening = false;
        PgSubscriber open = subscriber;
        if (open != null) {
            open.closeAndForget();
        }
    }

    /** Whether the LISTEN is established now: only then can this replica vouch for its snapshot. */
    public boolean listening() {
        return listening;
    }

    /** Since when it is, or null. */
    public Instant listeningSince() {
        return listening ? listeningSince : null;
    }

    /** Notifications received so far; for health and tests. */
    public long notifications() {
        return notifications;
    }

    private void connect() {
        if (stopped) {
            return;
        }
        PgSubscriber next = PgSubscriber.subscriber(vertx, options)
                .reconnectPolicy(attempt -> {
                    // Called when the connection is lost and after each failed reconnect.
                    if (listening) {
                        LOG.warnf("lost the LISTEN connection on %s; not vouching for the policy until it is back",
                                channel);
                    }
                    listening = false;
                    return stopped ? -1L : reconnectInterval.toMillis();
                });
        next.channel(channel)
                .subscribeHandler(() -> {
                    listeningSince = Instant.now();
                    listening = true;
                    LOG.infof("listening on %s", channel);
                    // Anything committed while we were not listening was not heard: rebuild once.
                    refresh.request(0);
                })
                .handler(payload -> {
                    notifications++;
                    LOG.debugf("NOTIFY on %s: revision %s", channel, parseRevision(payload));
                    refresh.notified(parseRevision(payload), PolicyChange.parse(payload));
                });
        subscriber = next;
        next.connect().subscribe().with(
                ignored -> LOG.debugf("LISTEN connection to %s:%d open", options.getHost(), options.getPort()),
                failure -> {
                    // The reconnect policy covers lost connections only, not a first connect that failed.
                    LOG.warnf("could not open the LISTEN connection (%s); retrying in %d ms", failure.getMessage(),
                            reconnectInterval.toMillis());
                    listening = false;
                    next.closeAndForget();
                    if (!stopped) {
                        vertx.setTimer(reconnectInterval.toMillis(), id -> connect());
                    }
                });
    }

    /**
     * The payload starts with the revision as decimal text (a {@link PolicyChange} may follow);
     * anything else just means "something changed".
     */
    static long parseRevision(String payload) {
        try {
            String text = payload.strip();
            int end = text.indexOf(' ');
            return Long.parseLong(end < 0 ? text : text.substring(0, end));
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
