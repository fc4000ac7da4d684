package dev.clearance.entitlement.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Ordered child rows (read ordered by owner, position) grouped by their owner. */
final class ChildRows {
    private ChildRows() {
    }

    static <C, V> Map<String, List<V>> byOwner(List<C> rows, Function<C, String> owner, Function<C, V> value) {
        Map<String, List<V>> grouped = new HashMap<>();
        for (C row : rows) {
            grouped.computeIfAbsent(owner.apply(row), k -> new ArrayList<>()).add(value.apply(row));
        }
        return grouped;
    }

    /** Persists child rows; Panache refuses an empty batch, and an empty list is a valid one here. */
    static Uni<Void> persist(List<?> rows) {
        return rows.isEmpty() ? Uni.createFrom().voidItem() : PanacheEntityBase.persist(rows);
    }

    static <V> List<V> of(Map<String, List<V>> grouped, String owner) {
        return grouped.getOrDefault(owner, List.of());
    }

    /**
     * One owner's values, in order, read as plain strings rather than entities: rows replaced in
     * the same session must not already be managed there.
     */
    static Uni<List<String>> values(String entity, String column, String owner) {
        return Panache.getSession().chain(s -> s.createSelectionQuery(
                        "select c." + column + " from " + entity + " c where c.owner = :owner order by c.position", String.class)
                .setParameter("owner", owner).getResultList());
    }

    /** Deletes an owner's rows of {@code entity} at once (a bulk delete, before the owner's own flush). */
    static Uni<Void> deleteAll(String entity, String owner) {
        return Panache.getSession().chain(s -> s.createMutationQuery("delete from " + entity + " c where c.owner = :owner")
                .setParameter("owner", owner).executeUpdate()).replaceWithVoid();
    }

    /** Replaces an owner's rows: the old ones go at once, the new ones with the next flush. */
    static Uni<Void> replace(String entity, String owner, List<?> rows) {
        return deleteAll(entity, owner).chain(() -> persist(rows));
    }
}
