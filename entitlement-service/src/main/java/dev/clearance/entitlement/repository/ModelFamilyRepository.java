package dev.clearance.entitlement.repository;

import dev.clearance.entitlement.domain.ModelFamilyEntity;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class ModelFamilyRepository implements PanacheRepositoryBase<ModelFamilyEntity, String> {

    /** Up to {@code limit} families with ids after {@code after} (null: from the start), by id. */
    public Uni<List<ModelFamilyEntity>> page(String after, int limit) {
        var query = after == null ? findAll(Sort.by("id")) : find("id > ?1", Sort.by("id"), after);
        return query.range(0, limit - 1).list();
    }

    public Uni<List<ModelFamilyEntity>> all() {
        return listAll(Sort.by("id"));
    }
}
