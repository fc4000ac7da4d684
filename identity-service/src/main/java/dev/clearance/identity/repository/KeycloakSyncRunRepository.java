package dev.clearance.identity.repository;

import dev.clearance.identity.domain.KeycloakSyncRun;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class KeycloakSyncRunRepository implements PanacheRepositoryBase<KeycloakSyncRun, Long> {
}
