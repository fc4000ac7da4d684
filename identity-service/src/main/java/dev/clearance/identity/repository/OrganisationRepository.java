package dev.clearance.identity.repository;

import dev.clearance.identity.domain.Organisation;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class OrganisationRepository implements PanacheRepositoryBase<Organisation, String> {

    /** Keyset page: ids after {@code afterId} (null = from the start), in id order. */
    public Uni<List<Organisation>> page(String afterId, int limit) {
        var query = afterId == null
                ? find("from Organisation", Sort.by("id"))
                : find("from Organisation o where o.id > ?1", Sort.by("id"), afterId);
        return query.range(0, limit - 1).list();
    }
}
