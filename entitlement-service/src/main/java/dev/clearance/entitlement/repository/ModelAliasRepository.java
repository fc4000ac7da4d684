package dev.clearance.entitlement.repository;

import dev.clearance.entitlement.domain.ModelAliasEntity;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class ModelAliasRepository implements PanacheRepositoryBase<ModelAliasEntity, String> {

    public Uni<List<ModelAliasEntity>> page(String after, int limit) {
        var query = after == null ? findAll(Sort.by("id")) : find("id > ?1", Sort.by("id"), after);
        return query.range(0, limit - 1).list();
    }

    public Uni<List<ModelAliasEntity>> all() {
        return listAll(Sort.by("id"));
    }
}
