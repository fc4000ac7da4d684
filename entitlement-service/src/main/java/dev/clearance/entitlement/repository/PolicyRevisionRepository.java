package dev.clearance.entitlement.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
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

    public PolicyRevisionRepository(@ConfigProperty(name = "clearance.db.schema") String schema) {
        if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("clearance.db.schema must be a lower-case SQL identifier: " + schema);
        }
        this.bumpSql = "UPDATE " + schema + ".policy_revision SET revision = revision + 1 RETURNING revision";
        this.currentSql = "SELECT revision FROM " + schema + ".policy_revision";
    }

    /**
     * Bumps the revision in the current transaction and returns the new value. Takes the
     * row lock until commit, so concurrent writers queue here.
     */
    public Uni<Long> bump() {
        return Panache.getSession().chain(s -> s.createNativeQuery(bumpSql, Long.class).getSingleResult());
    }

    public Uni<Long> current() {
        return Panache.getSession().chain(s -> s.createNativeQuery(currentSql, Long.class).getSingleResult());
    }
}
