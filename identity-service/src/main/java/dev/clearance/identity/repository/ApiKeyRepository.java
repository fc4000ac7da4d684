package dev.clearance.identity.repository;

import dev.clearance.identity.domain.ApiKey;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;

@ApplicationScoped
public class ApiKeyRepository implements PanacheRepositoryBase<ApiKey, String> {

    /** Keys whose current or previous secret has this prefix (almost always at most one). */
    public Uni<List<ApiKey>> findByPrefix(String prefix) {
        return list("from ApiKey k where k.prefix = ?1 or k.previousPrefix = ?1", prefix);
    }

    /**
     * Records a use of the key (and of its previous secret when that was the one presented)
     * unless one was recorded after {@code recordedSince}: at most one write per key and
     * granularity, and concurrent requests do not both write. Bulk updates: the caller must not
     * hold the key dirty.
     */
    public Uni<Void> recordUse(String id, boolean previousSecret, Instant now, Instant recordedSince) {
        Uni<Integer> key = update("lastUseTime = ?1 where id = ?2 and (lastUseTime is null or lastUseTime < ?3)",
                now, id, recordedSince);
        if (!previousSecret) {
            return key.replaceWithVoid();
        }
        return key.flatMap(ignored -> update("previousSecretLastUseTime = ?1 where id = ?2"
                + " and (previousSecretLastUseTime is null or previousSecretLastUseTime < ?3)", now, id, recordedSince))
                .replaceWithVoid();
    }
}
