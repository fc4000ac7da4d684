package dev.clearance.entitlement.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The single policy revision row. Native SQL (the brief's {@code UPDATE .. RETURNING}), so
 * the table is qualified with the configured schema rather than relying on search_path.
 */
@ApplicationScoped
public class PolicyRevisionRepository {

    private final String bumpSql;
    private final String currentSql;
    private final String notifySql;
    private final String connectionNotifySql;
    private final String channel;

    public PolicyRevisionRepository(@ConfigProperty(name = "clearance.db.schema") String schema,
                                    @ConfigProperty(name = "clearance.policy.notify-channel",
                                            defaultValue = "clearance_policy") String channel) {
        if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("clearance.db.schema must be a lower-case SQL identifier: " + schema);
        }
        this.bumpSql = "UPDATE " + schema + ".policy_revision SET revision = revision + 1 RETURNING revision";
        this.currentSql = "SELECT revision FROM " + schema + ".policy_revision";
        this.notifySql = "SELECT pg_notify(?1, ?2)";
        this.connectionNotifySql = "SELECT pg_notify($1, $2)";
        this.channel = channel;
    }

    /**
     * Bumps the revision in the current transaction and returns the new value. Takes the row lock
     * until commit, so concurrent writers queue here. The write then announces it with
     * {@link #announce} in the same transaction.
     */
    public Uni<Long> bump() {
        return Panache.getSession().chain(s -> s.createNativeQuery(bumpSql, Long.class).getSingleResult());
    }

    /**
     * Queues the {@code NOTIFY} of a bumped revision in the current transaction: the revision as
     * decimal text, optionally followed by what it changed ({@code PolicyChange}). PostgreSQL
     * delivers it to every listening replica only if the transaction commits, and after it does, so
     * a replica that hears it can read the new state.
     */
    public Uni<Void> announce(String payload) {
        return Panache.getSession().chain(s -> s.createNativeQuery(notifySql)
                .setParameter(1, channel)
                .setParameter(2, payload)
                // pg_notify returns void: run it for its effect, ignore the row.
                .executeUpdate()).replaceWithVoid();
    }

    /** {@link #bump()} on a pool connection in a transaction (a pipelined write, see {@code PolicyWrites}). */
    public Uni<Long> bump(SqlConnection c) {
        return c.preparedQuery(bumpSql).execute().map(rows -> rows.iterator().next().getLong(0));
    }

    /** {@link #announce(String)} on a pool connection in a transaction. */
    public Uni<Void> announce(SqlConnection c, String payload) {
        return c.preparedQuery(connectionNotifySql).execute(Tuple.of(channel, payload)).replaceWithVoid();
    }

    public Uni<Long> current() {
        return Panache.getSession().chain(s -> s.createNativeQuery(currentSql, Long.class).getSingleResult());
    }

    /** The NOTIFY channel replicas listen on. */
    public String channel() {
        return channel;
    }
}
