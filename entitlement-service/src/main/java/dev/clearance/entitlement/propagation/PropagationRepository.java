package dev.clearance.entitlement.propagation;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Router presence and acknowledgements, shared by every replica through PostgreSQL. Plain SQL on
 * the reactive pool (no Hibernate session): these are small upserts and one report query that
 * may run on any thread, outside a request. "Now" is the database clock, so replicas with
 * skewed clocks still agree on who is live.
 */
@ApplicationScoped
public class PropagationRepository {

    private final Pool pool;
    private final String seenSql;
    private final String acknowledgeSql;
    private final String statusSql;
    private final String pruneAcknowledgementsSql;
    private final String prunePresenceSql;

    public PropagationRepository(Pool pool, @ConfigProperty(name = "clearance.db.schema") String schema) {
        if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("clearance.db.schema must be a lower-case SQL identifier: " + schema);
        }
        this.pool = pool;
        String presence = schema + ".router_presence";
        String acks = schema + ".router_acknowledgement";
        this.seenSql = "INSERT INTO " + presence + " (router_id, replica, last_seen)"
                + " SELECT r, $2, now() FROM unnest($1::text[]) AS r"
                + " ON CONFLICT (router_id) DO UPDATE SET replica = EXCLUDED.replica, last_seen = EXCLUDED.last_seen";
        // The first acknowledgement of a revision keeps its time; a repeat (reconnect) changes nothing.
        this.acknowledgeSql = "WITH ack AS (INSERT INTO " + acks
                + " (router_id, revision, apply_time, replica, acknowledge_time) VALUES ($1, $2, $3, $4, now())"
                + " ON CONFLICT (router_id, revision) DO NOTHING)"
                + " INSERT INTO " + presence + " (router_id, replica, last_seen) VALUES ($1, $4, now())"
                + " ON CONFLICT (router_id) DO UPDATE SET replica = EXCLUDED.replica, last_seen = EXCLUDED.last_seen";
        // Per router: the first acknowledged revision at or above $1 says since when the router
        // enforces it (a router may skip revisions); live = seen within the window.
        this.statusSql = "SELECT p.router_id, p.replica, p.last_seen,"
                + " p.last_seen >= now() - make_interval(secs => $2) AS live,"
                + " first.revision AS applied_revision, first.apply_time,"
                + " (SELECT max(l.revision) FROM " + acks + " l WHERE l.router_id = p.router_id) AS latest_revision,"
                + " now() AS status_time"
                + " FROM " + presence + " p"
                + " LEFT JOIN LATERAL (SELECT a.revision, a.apply_time FROM " + acks + " a"
                + "   WHERE a.router_id = p.router_id AND a.revision >= $1 ORDER BY a.revision LIMIT 1) first ON true"
                + " WHERE p.last_seen >= now() - make_interval(secs => $2) OR first.revision IS NOT NULL"
                + " ORDER BY p.router_id";
        this.pruneAcknowledgementsSql = "DELETE FROM " + acks + " a"
                + " WHERE a.acknowledge_time < now() - make_interval(secs => $1)"
                + " AND a.revision < (SELECT max(n.revision) FROM " + acks + " n WHERE n.router_id = a.router_id)";
        this.prunePresenceSql = "DELETE FROM " + presence + " p"
                + " WHERE p.last_seen < now() - make_interval(secs => $1)"
                + " AND NOT EXISTS (SELECT 1 FROM " + acks + " a WHERE a.router_id = p.router_id"
                + "   AND a.acknowledge_time >= now() - make_interval(secs => $1))";
    }

    /**
     * Forgets acknowledgements older than {@code retention}, except each router's newest one (it
     * says what the router holds now), and routers neither seen nor acknowledging within it (a
     * router's default id carries its process id, so every restart adds one). Returns
     * {acknowledgements, routers} deleted.
     */
    public Uni<long[]> prune(Duration retention) {
        double seconds = retention.toNanos() / 1e9;
        return pool.preparedQuery(pruneAcknowledgementsSql).execute(Tuple.of(seconds))
                .flatMap(acks -> pool.preparedQuery(prunePresenceSql).execute(Tuple.of(seconds))
                        .map(routers -> new long[] {acks.rowCount(), routers.rowCount()}));
    }

    /** Records that this replica sees these routers now (their WatchPolicy streams are open). */
    public Uni<Void> seen(Collection<String> routerIds, String replica) {
        if (routerIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery(seenSql).execute(Tuple.of(routerIds.toArray(new String[0]), replica))
                .replaceWithVoid();
    }

    public Uni<Void> acknowledge(String routerId, long revision, Instant applyTime, String replica) {
        return pool.preparedQuery(acknowledgeSql)
                .execute(Tuple.of(routerId, revision, OffsetDateTime.ofInstant(applyTime, ZoneOffset.UTC), replica))
                .replaceWithVoid();
    }

    /** One router's view of a revision, as stored. */
    public record RouterRow(String routerId, String replica, Instant lastSeen, boolean live, Long appliedRevision,
                            Instant applyTime, Long latestRevision) {
    }

    public record StatusRows(Instant statusTime, List<RouterRow> routers) {
    }

    public Uni<StatusRows> status(long revision, Duration liveWindow) {
        double windowSeconds = liveWindow.toNanos() / 1e9;
        return pool.preparedQuery(statusSql).execute(Tuple.of(revision, windowSeconds)).map(rows -> {
            List<RouterRow> routers = new ArrayList<>();
            Instant statusTime = null;
            for (Row row : rows) {
                statusTime = instant(row, "status_time");
                routers.add(new RouterRow(row.getString("router_id"), row.getString("replica"),
                        instant(row, "last_seen"), Boolean.TRUE.equals(row.getBoolean("live")),
                        row.getLong("applied_revision"), instant(row, "apply_time"), row.getLong("latest_revision")));
            }
            return new StatusRows(statusTime == null ? Instant.now() : statusTime, routers);
        });
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}
