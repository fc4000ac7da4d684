package dev.clearance.identity.repository;

import dev.clearance.identity.domain.ChangeEntry;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;

@ApplicationScoped
public class ChangeRepository implements PanacheRepositoryBase<ChangeEntry, Long> {

    /**
     * Newest first: up to {@code limit} changes with ids below {@code beforeId} (null: from the
     * newest) matching every filter that is not null.
     *
     * @param resourcePrefix matched with LIKE; the caller escapes {@code % _ \}
     */
    public Uni<List<ChangeEntry>> page(Long beforeId, String actor, String resource, String resourcePrefix,
                                       Instant from, Instant until, int limit) {
        StringBuilder q = new StringBuilder("1 = 1");
        Parameters p = new Parameters();
        if (beforeId != null) {
            q.append(" and id < :before");
            p.and("before", beforeId);
        }
        if (actor != null) {
            q.append(" and actor = :actor");
            p.and("actor", actor);
        }
        if (resource != null) {
            q.append(" and resource = :resource");
            p.and("resource", resource);
        }
        if (resourcePrefix != null) {
            q.append(" and resource like :prefix escape '\\'");
            p.and("prefix", resourcePrefix + "%");
        }
        if (from != null) {
            q.append(" and changeTime >= :from");
            p.and("from", from);
        }
        if (until != null) {
            q.append(" and changeTime < :until");
            p.and("until", until);
        }
        return find(q.toString(), Sort.descending("id"), p).range(0, limit - 1).list();
    }
}
