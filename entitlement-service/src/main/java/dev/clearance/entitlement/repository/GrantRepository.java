package dev.clearance.entitlement.repository;

import dev.clearance.entitlement.domain.GrantEntity;
import dev.clearance.entitlement.domain.GrantModelPatternEntity;
import dev.clearance.entitlement.domain.StoredGrant;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class GrantRepository implements PanacheRepositoryBase<GrantEntity, String> {

    public Uni<Void> create(GrantEntity grant, List<String> patterns) {
        List<GrantModelPatternEntity> rows = new ArrayList<>();
        for (int i = 0; i < patterns.size(); i++) {
            rows.add(new GrantModelPatternEntity(grant.id, i, patterns.get(i)));
        }
        return persistAndFlush(grant).chain(() -> ChildRows.persist(rows));
    }

    public Uni<StoredGrant> findStored(String id) {
        return findById(id).chain(g -> g == null ? Uni.createFrom().nullItem()
                : ChildRows.values("GrantModelPatternEntity", "pattern", id).map(p -> new StoredGrant(g, p)));
    }

    public Uni<Void> replacePatterns(String id, List<String> patterns) {
        List<GrantModelPatternEntity> rows = new ArrayList<>();
        for (int i = 0; i < patterns.size(); i++) {
            rows.add(new GrantModelPatternEntity(id, i, patterns.get(i)));
        }
        return ChildRows.replace("GrantModelPatternEntity", id, rows);
    }

    public Uni<Void> deleteStored(GrantEntity grant) {
        return ChildRows.deleteAll("GrantModelPatternEntity", grant.id).chain(() -> delete(grant));
    }

    public Uni<List<StoredGrant>> page(String after, int limit) {
        var query = after == null ? findAll(Sort.by("id")) : find("id > ?1", Sort.by("id"), after);
        return query.range(0, limit - 1).list().chain(grants -> {
            if (grants.isEmpty()) {
                return Uni.createFrom().item(List.<StoredGrant>of());
            }
            List<String> ids = grants.stream().map(g -> g.id).toList();
            return GrantModelPatternEntity.<GrantModelPatternEntity>list("owner in ?1", Sort.by("owner").and("position"), ids)
                    .map(rows -> {
                        Map<String, List<String>> patterns = ChildRows.byOwner(rows, r -> r.owner, r -> r.pattern);
                        return grants.stream().map(g -> new StoredGrant(g, ChildRows.of(patterns, g.id))).toList();
                    });
        });
    }

    public Uni<List<StoredGrant>> all() {
        return listAll(Sort.by("id")).chain(grants -> GrantModelPatternEntity
                .<GrantModelPatternEntity>listAll(Sort.by("owner").and("position"))
                .map(rows -> {
                    Map<String, List<String>> patterns = ChildRows.byOwner(rows, r -> r.owner, r -> r.pattern);
                    return grants.stream().map(g -> new StoredGrant(g, ChildRows.of(patterns, g.id))).toList();
                }));
    }
}
