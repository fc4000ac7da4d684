package dev.clearance.entitlement.repository;

import dev.clearance.entitlement.domain.SubscriptionEntity;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class SubscriptionRepository implements PanacheRepositoryBase<SubscriptionEntity, String> {

    public Uni<SubscriptionEntity> findByOrganisation(String organisation) {
        return find("organisation", organisation).firstResult();
    }

    public Uni<List<SubscriptionEntity>> page(String after, int limit) {
        var query = after == null ? findAll(Sort.by("id")) : find("id > ?1", Sort.by("id"), after);
        return query.range(0, limit - 1).list();
    }

    public Uni<List<SubscriptionEntity>> all() {
        return listAll(Sort.by("organisation"));
    }
}
