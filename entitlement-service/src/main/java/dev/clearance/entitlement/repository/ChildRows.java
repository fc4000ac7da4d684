package dev.clearance.entitlement.repository;

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
}
