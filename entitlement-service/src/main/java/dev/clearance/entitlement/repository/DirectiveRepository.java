package dev.clearance.entitlement.repository;

import dev.clearance.entitlement.domain.DirectiveCarveOutEntity;
import dev.clearance.entitlement.domain.DirectiveEntity;
import dev.clearance.entitlement.domain.DirectiveScopeEntity;
import dev.clearance.entitlement.domain.DirectiveState;
import dev.clearance.entitlement.domain.DirectiveSubjectEntity;
import dev.clearance.entitlement.domain.StoredDirective;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class DirectiveRepository implements PanacheRepositoryBase<DirectiveEntity, String> {

    private static final Sort CHILD_ORDER = Sort.by("owner").and("position");

    public Uni<Void> create(StoredDirective directive) {
        List<Object> rows = new ArrayList<>();
        rows.addAll(directive.scope());
        rows.addAll(directive.subjects());
        rows.addAll(directive.carveOuts());
        return persistAndFlush(directive.directive()).chain(() -> ChildRows.persist(rows));
    }

    /** The directive with its child rows, or null. */
    public Uni<StoredDirective> findStored(String id) {
        return findById(id).chain(d -> d == null ? Uni.createFrom().nullItem() : withChildren(List.of(d))
                .map(list -> list.get(0)));
    }

    public Uni<List<StoredDirective>> page(String after, int limit) {
        var query = after == null ? findAll(Sort.by("id")) : find("id > ?1", Sort.by("id"), after);
        return query.range(0, limit - 1).list().chain(this::withChildren);
    }

    /** Emergency enforcements still in force and not confirmed by {@code now}'s deadline, by id. */
    public Uni<List<StoredDirective>> emergencyOverdue(Instant now, String after, int limit) {
        String where = "state = ?1 and emergencyEnforcer is not null and emergencyConfirmer is null"
                + " and emergencyConfirmDeadline <= ?2";
        var query = after == null
                ? find(where, Sort.by("id"), DirectiveState.ENFORCED, now)
                : find(where + " and id > ?3", Sort.by("id"), DirectiveState.ENFORCED, now, after);
        return query.range(0, limit - 1).list().chain(this::withChildren);
    }

    /** Directives in SHADOW or ENFORCED state: the only ones a snapshot carries. */
    public Uni<List<StoredDirective>> inSnapshot() {
        return list("state in ?1", Sort.by("id"), List.of(DirectiveState.SHADOW, DirectiveState.ENFORCED))
                .chain(this::withChildren);
    }

    private Uni<List<StoredDirective>> withChildren(List<DirectiveEntity> directives) {
        if (directives.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<String> ids = directives.stream().map(d -> d.id).toList();
        // Sequential: one reactive session runs one statement at a time.
        return DirectiveScopeEntity.<DirectiveScopeEntity>list("owner in ?1", CHILD_ORDER, ids)
                .chain(scope -> DirectiveSubjectEntity.<DirectiveSubjectEntity>list("owner in ?1", CHILD_ORDER, ids)
                        .chain(subjects -> DirectiveCarveOutEntity.<DirectiveCarveOutEntity>list("owner in ?1", CHILD_ORDER, ids)
                                .map(carveOuts -> {
                                    Map<String, List<DirectiveScopeEntity>> s = ChildRows.byOwner(scope, r -> r.owner, r -> r);
                                    Map<String, List<DirectiveSubjectEntity>> sub = ChildRows.byOwner(subjects, r -> r.owner, r -> r);
                                    Map<String, List<DirectiveCarveOutEntity>> c = ChildRows.byOwner(carveOuts, r -> r.owner, r -> r);
                                    return directives.stream()
                                            .map(d -> new StoredDirective(d, ChildRows.of(s, d.id), ChildRows.of(sub, d.id),
                                                    ChildRows.of(c, d.id)))
                                            .toList();
                                })));
    }
}
