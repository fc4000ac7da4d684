package dev.clearance.entitlement.repository;

import dev.clearance.entitlement.domain.ProgrammeEntity;
import dev.clearance.entitlement.domain.ProgrammeModelPatternEntity;
import dev.clearance.entitlement.domain.StoredProgramme;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class ProgrammeRepository implements PanacheRepositoryBase<ProgrammeEntity, String> {

    public Uni<Void> create(ProgrammeEntity programme, List<String> patterns) {
        List<ProgrammeModelPatternEntity> rows = new ArrayList<>();
        for (int i = 0; i < patterns.size(); i++) {
            rows.add(new ProgrammeModelPatternEntity(programme.id, i, patterns.get(i)));
        }
        return persistAndFlush(programme).chain(() -> ChildRows.persist(rows));
    }

    public Uni<StoredProgramme> findStored(String id) {
        return findById(id).chain(p -> p == null ? Uni.createFrom().nullItem()
                : ChildRows.values("ProgrammeModelPatternEntity", "pattern", id).map(patterns -> new StoredProgramme(p, patterns)));
    }

    public Uni<Void> replacePatterns(String id, List<String> patterns) {
        List<ProgrammeModelPatternEntity> rows = new ArrayList<>();
        for (int i = 0; i < patterns.size(); i++) {
            rows.add(new ProgrammeModelPatternEntity(id, i, patterns.get(i)));
        }
        return ChildRows.replace("ProgrammeModelPatternEntity", id, rows);
    }

    public Uni<Void> deleteStored(ProgrammeEntity programme) {
        return ChildRows.deleteAll("ProgrammeModelPatternEntity", programme.id).chain(() -> delete(programme));
    }

    public Uni<List<StoredProgramme>> page(String after, int limit) {
        var query = after == null ? findAll(Sort.by("id")) : find("id > ?1", Sort.by("id"), after);
        return query.range(0, limit - 1).list().chain(programmes -> {
            if (programmes.isEmpty()) {
                return Uni.createFrom().item(List.<StoredProgramme>of());
            }
            List<String> ids = programmes.stream().map(p -> p.id).toList();
            return ProgrammeModelPatternEntity.<ProgrammeModelPatternEntity>list("owner in ?1", Sort.by("owner").and("position"), ids)
                    .map(rows -> {
                        Map<String, List<String>> patterns = ChildRows.byOwner(rows, r -> r.owner, r -> r.pattern);
                        return programmes.stream().map(p -> new StoredProgramme(p, ChildRows.of(patterns, p.id))).toList();
                    });
        });
    }

    public Uni<List<StoredProgramme>> all() {
        return listAll(Sort.by("id")).chain(programmes -> ProgrammeModelPatternEntity
                .<ProgrammeModelPatternEntity>listAll(Sort.by("owner").and("position"))
                .map(rows -> {
                    Map<String, List<String>> patterns = ChildRows.byOwner(rows, r -> r.owner, r -> r.pattern);
                    return programmes.stream()
                            .map(p -> new StoredProgramme(p, ChildRows.of(patterns, p.id)))
                            .toList();
                }));
    }

    public Uni<List<String>> patternsOf(String programmeId) {
        return ProgrammeModelPatternEntity.<ProgrammeModelPatternEntity>list("owner", Sort.by("position"), programmeId)
                .map(rows -> rows.stream().map(r -> r.pattern).toList());
    }
}
