package dev.clearance.identity.repository;

import dev.clearance.identity.domain.ApiKey;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ApiKeyRepository implements PanacheRepositoryBase<ApiKey, String> {

    public Uni<ApiKey> findByPrefix(String prefix) {
        return find("prefix", prefix).firstResult();
    }
}
