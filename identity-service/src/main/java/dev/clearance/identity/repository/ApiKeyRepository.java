package dev.clearance.identity.repository;

import dev.clearance.identity.domain.ApiKey;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class ApiKeyRepository implements PanacheRepositoryBase<ApiKey, String> {

    /** Keys whose current or previous secret has this prefix (almost always at most one). */
    public Uni<List<ApiKey>> findByPrefix(String prefix) {
        return list("from ApiKey k where k.prefix = ?1 or k.previousPrefix = ?1", prefix);
    }

    /**
     * Keyset page in id order; each filter is optional (null). The organisation filter takes its
     * organisation-wide keys and the keys of its members.
     */
    public Uni<List<ApiKey>> page(String afterId, String personId, String organisationId, boolean withRevoked,
                                  int limit) {
        StringBuilder query = new StringBuilder("from ApiKey k where k.id > :after");
        Map<String, Object> params = new HashMap<>();
        params.put("after", afterId == null ? "" : afterId);
        if (personId != null) {
            query.append(" and k.ownerPersonId = :person");
            params.put("person", personId);
        }
        if (organisationId != null) {
            query.append(" and (k.ownerOrganisationId = :organisation or k.ownerPersonId in"
                    + " (select p.id from Person p where p.organisationId = :organisation))");
            params.put("organisation", organisationId);
        }
        if (!withRevoked) {
            query.append(" and k.revokeTime is null");
        }
        query.append(" order by k.id");
        return find(query.toString(), params).range(0, limit - 1).list();
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
