package dev.clearance.entitlement.history;

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
import java.util.List;

/**
 * The decision history in PostgreSQL, shared by every replica. Plain SQL on the reactive pool
 * (no Hibernate session), like the propagation tables: one batch is one transaction of two
 * statements (the batch row, then every count in one array insert), so a retried batch either
 * finds its row and adds nothing, or adds everything.
 */
@ApplicationScoped
public class DecisionHistoryRepository {

    private final Pool pool;
    private final String insertBatchSql;
    private final String addCountsSql;
    private final String windowSql;
    private final String coverageSql;
    private final String pruneCountsSql;
    private final String pruneBatchesSql;

    public DecisionHistoryRepository(Pool pool, @ConfigProperty(name = "clearance.db.schema") String schema) {
        if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("clearance.db.schema must be a lower-case SQL identifier: " + schema);
        }
        this.pool = pool;
        String batches = schema + ".decision_count_batch";
        String counts = schema + ".decision_count";
        this.insertBatchSql = "INSERT INTO " + batches
                + " (router_id, batch_id, since_time, received_time, counts, dropped_requests)"
                + " VALUES ($1, $2, $3, now(), $4, $5) ON CONFLICT (router_id, batch_id) DO NOTHING";
        // Grouped first: one statement may not update the same row twice (validation refuses repeats anyway).
        this.addCountsSql = "INSERT INTO " + counts
                + " (hour_start, router_id, caller_kind, caller, model, fallback_allowed, outcome, count)"
                + " SELECT h, $2, k, c, m, f, o, sum(n)::bigint FROM unnest($1::timestamptz[], $3::text[], $4::text[],"
                + " $5::text[], $6::bool[], $7::text[], $8::int8[]) AS t(h, k, c, m, f, o, n)"
                + " GROUP BY h, k, c, m, f, o"
                + " ON CONFLICT (hour_start, router_id, caller, model, fallback_allowed, outcome)"
                + " DO UPDATE SET count = " + counts + ".count + EXCLUDED.count";
        this.windowSql = "SELECT caller, model, fallback_allowed, sum(count)::bigint AS requests FROM " + counts
                + " WHERE hour_start >= $1 GROUP BY caller, model, fallback_allowed";
        this.coverageSql = "SELECT min(since_time) AS since, count(*) AS batches,"
                + " coalesce(sum(dropped_requests) FILTER (WHERE received_time >= $1), 0)::bigint AS dropped FROM " + batches;
        this.pruneCountsSql = "DELETE FROM " + counts + " WHERE hour_start < now() - make_interval(secs => $1)";
        this.pruneBatchesSql = "DELETE FROM " + batches + " WHERE received_time < now() - make_interval(secs => $1)";
    }

    /** One count of a batch, validated. */
    public record Count(Instant hour, String callerKind, String caller, String model, boolean fallbackAllowed,
                        String outcome, long count) {
    }

    /** Stores a batch once: false when this router already sent this batch id (nothing added). */
    public Uni<Boolean> record(String routerId, String batchId, Instant since, long dropped, List<Count> counts) {
        return pool.withTransaction(conn -> conn.preparedQuery(insertBatchSql)
                .execute(Tuple.of(routerId, batchId, utc(since), counts.size(), dropped))
                .flatMap(inserted -> {
                    if (inserted.rowCount() == 0) {
                        return Uni.createFrom().item(false);
                    }
                    if (counts.isEmpty()) {
                        return Uni.createFrom().item(true);
                    }
                    int n = counts.size();
                    OffsetDateTime[] hours = new OffsetDateTime[n];
                    String[] kinds = new String[n];
                    String[] callers = new String[n];
                    String[] models = new String[n];
                    Boolean[] fallbacks = new Boolean[n];
                    String[] outcomes = new String[n];
                    Long[] numbers = new Long[n];
                    for (int i = 0; i < n; i++) {
                        Count c = counts.get(i);
                        hours[i] = utc(c.hour());
                        kinds[i] = c.callerKind();
                        callers[i] = c.caller();
                        models[i] = c.model();
                        fallbacks[i] = c.fallbackAllowed();
                        outcomes[i] = c.outcome();
                        numbers[i] = c.count();
                    }
                    return conn.preparedQuery(addCountsSql)
                            .execute(Tuple.from(List.of(hours, routerId, kinds, callers, models, fallbacks, outcomes,
                                    numbers)))
                            .replaceWith(true);
                }));
    }

    /** Requests per (caller, model, fallback) in hour buckets starting at or after {@code from}, every router summed. */
    public record Requests(String caller, String model, boolean fallbackAllowed, long requests) {
    }

    /**
     * What the history covers: since when routers have reported (null: never, within the
     * retention) and how many requests they could not count since {@code from}.
     */
    public record Coverage(Instant since, long batches, long droppedSince) {
    }

    public Uni<List<Requests>> window(Instant from) {
        return pool.preparedQuery(windowSql).execute(Tuple.of(utc(from))).map(rows -> {
            List<Requests> out = new ArrayList<>(rows.size());
            for (Row row : rows) {
                out.add(new Requests(row.getString("caller"), row.getString("model"),
                        row.getBoolean("fallback_allowed"), row.getLong("requests")));
            }
            return out;
        });
    }

    public Uni<Coverage> coverage(Instant droppedFrom) {
        return pool.preparedQuery(coverageSql).execute(Tuple.of(utc(droppedFrom))).map(rows -> {
            Row row = rows.iterator().next();
            OffsetDateTime since = row.getOffsetDateTime("since");
            return new Coverage(since == null ? null : since.toInstant(), row.getLong("batches"), row.getLong("dropped"));
        });
    }

    /** Deletes counts of hours and batches older than {@code retention}; returns {counts, batches} deleted. */
    public Uni<long[]> prune(Duration retention) {
        double seconds = retention.toNanos() / 1e9;
        return pool.preparedQuery(pruneCountsSql).execute(Tuple.of(seconds))
                .flatMap(counts -> pool.preparedQuery(pruneBatchesSql).execute(Tuple.of(seconds))
                        .map(batches -> new long[] {counts.rowCount(), batches.rowCount()}));
    }

    private static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
