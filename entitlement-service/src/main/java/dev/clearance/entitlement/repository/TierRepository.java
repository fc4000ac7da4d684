package dev.clearance.entitlement.repository;

import dev.clearance.entitlement.domain.StoredTier;
import dev.clearance.entitlement.domain.TierEntity;
import dev.clearance.entitlement.domain.TierModelPatternEntity;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class TierRepository implements PanacheRepositoryBase<TierEntity, String> {

    public Uni<Void> create(TierEntity tier, List<String> patterns) {
        List<TierModelPatternEntity> rows = new ArrayList<>();
        for (int i = 0; i < patterns.size(); i++) {
            rows.add(new TierModelPatternEntity(tier.id, i, patterns.get(i)));
        }
        // Flush the parent first: the child rows reference it and Hibernate does not know that.
        return persistAndFlush(tier).chain(() -> ChildRows.persist(rows));
    }

    public Uni<StoredTier> findStored(String id) {
        return findById(id).chain(t -> t == null ? Uni.createFrom().nullItem()
                : ChildRows.values("TierModelPatternEntity", "pattern", id).map(p -> new StoredTier(t, p)));
    }

    public Uni<Void> replacePatterns(String id, List<String> patterns) {
        return ChildRows.replace("TierModelPatternEntity", id, rows(id, patterns));
    }

    public Uni<Void> deleteStored(TierEntity tier) {
        return ChildRows.deleteAll("TierModelPatternEntity", tier.id).chain(() -> delete(tier));
    }

    private static List<TierModelPatternEntity> rows(String id, List<String> patterns) {
        List<TierModelPatternEntity> rows = new ArrayList<>();
        for (int i = 0; i < patterns.size(); i++) {
            rows.add(new TierModelPatternEntity(id, i, patterns.get(i)));
        }
        return rows;
    }

    public Uni<List<StoredTier>> page(String after, int limit) {
        var query = after == null ? findAll(Sort.by("id")) : find("id > ?1", Sort.by("id"), after);
        return query.range(0, limit - 1).list().chain(tiers -> {
            if (tiers.isEmpty()) {
                return Uni.createFrom().item(List.<StoredTier>of());
            }
            List<String> ids = tiers.stream().map(t -> t.id).toList();
            return TierModelPatternEntity.<TierModelPatternEntity>list("owner in ?1", Sort.by("owner").and("position"), ids)
                    .map(rows -> assemble(tiers, rows));
        });
    }

    public Uni<List<StoredTier>> all() {
        return listAll(Sort.by("id")).chain(tiers -> TierModelPatternEntity
                .<TierModelPatternEntity>listAll(Sort.by("owner").and("position"))
                .map(rows -> assemble(tiers, rows)));
    }

    private static List<StoredTier> assemble(List<TierEntity> tiers, List<TierModelPatternEntity> rows) {
        Map<String, List<String>> patterns = ChildRows.byOwner(rows, r -> r.owner, r -> r.pattern);
        return tiers.stream().map(t -> new StoredTier(t, ChildRows.of(patterns, t.id))).toList();
    }
}
