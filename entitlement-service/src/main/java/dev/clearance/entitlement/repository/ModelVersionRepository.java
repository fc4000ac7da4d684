package dev.clearance.entitlement.repository;

import dev.clearance.entitlement.domain.ModelVersionEntity;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class ModelVersionRepository implements PanacheRepositoryBase<ModelVersionEntity, String> {

    /** Up to {@code limit} versions of a family after ordinal {@code afterOrdinal}, oldest first. */
    public Uni<List<ModelVersionEntity>> page(String familyId, int afterOrdinal, int limit) {
        return find("familyId = ?1 and ordinal > ?2", Sort.by("ordinal"), familyId, afterOrdinal)
                .range(0, limit - 1).list();
    }

    /** The highest ordinal in a family, 0 when it has no versions. */
    public Uni<Integer> maxOrdinal(String familyId) {
        return Panache.getSession().chain(s -> s
                .createSelectionQuery("select coalesce(max(v.ordinal), 0) from ModelVersionEntity v where v.familyId = :family",
                        Integer.class)
                .setParameter("family", familyId)
                .getSingleResult());
    }

    public Uni<Boolean> ordinalTaken(String familyId, int ordinal) {
        return count("familyId = ?1 and ordinal = ?2", familyId, ordinal).map(n -> n > 0);
    }

    /** Every version, by family then oldest first. */
    public Uni<List<ModelVersionEntity>> all() {
        return listAll(Sort.by("familyId").and("ordinal"));
    }
}
