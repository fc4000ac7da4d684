package dev.clearance.entitlement.repository;

import dev.clearance.entitlement.domain.ProgrammeMembershipEntity;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class ProgrammeMembershipRepository implements PanacheRepositoryBase<ProgrammeMembershipEntity, String> {

    /** The membership of {@code member} in a programme, or null. */
    public Uni<ProgrammeMembershipEntity> find(String programmeId, String member) {
        return find("programmeId = ?1 and member = ?2", programmeId, member).firstResult();
    }

    public Uni<List<ProgrammeMembershipEntity>> page(String programmeId, String after, int limit) {
        var query = after == null ? find("programmeId", Sort.by("id"), programmeId)
                : find("programmeId = ?1 and id > ?2", Sort.by("id"), programmeId, after);
        return query.range(0, limit - 1).list();
    }

    public Uni<List<ProgrammeMembershipEntity>> all() {
        return listAll(Sort.by("programmeId").and("member"));
    }
}
