package dev.clearance.entitlement.repository;

import dev.clearance.entitlement.domain.DirectiveTransitionEntity;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class DirectiveTransitionRepository implements PanacheRepositoryBase<DirectiveTransitionEntity, Long> {

    /** A directive's history, oldest first. */
    public Uni<List<DirectiveTransitionEntity>> history(String directiveId) {
        return list("directiveId", Sort.by("id"), directiveId);
    }
}
