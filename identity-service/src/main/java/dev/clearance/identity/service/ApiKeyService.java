package dev.clearance.identity.service;

import dev.clearance.api.ApiError;
import dev.clearance.identity.ErrorDomain;
import dev.clearance.identity.mapping.IdentityMapping;
import dev.clearance.identity.domain.ApiKey;
import dev.clearance.identity.domain.ApiKeySecret;
import dev.clearance.identity.repository.ApiKeyRepository;
import dev.clearance.identity.repository.OrganisationRepository;
import dev.clearance.identity.repository.PersonRepository;
import dev.clearance.identity.validation.Paging;
import dev.clearance.identity.validation.ResourceIds;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import com.google.rpc.Code;
import dev.clearance.common.v1.ErrorReason;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

@ApplicationScoped
public class ApiKeyService {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ApiKeyRepository apiKeys;
    private final PersonRepository persons;
    private final OrganisationRepository organisations;
    private final DatabaseClock clock;

    /** The change log; a field so the constructor stays as other work expects it. */
    @Inject
    ChangeLog changeLog;

    @Inject
    public ApiKeyService(ApiKeyRepository apiKeys, PersonRepository persons, OrganisationRepository organisations,
                         DatabaseClock clock) {
        this.apiKeys = apiKeys;
        this.persons = persons;
        this.organisations = organisations;
        this.clock = clock;
    }

    /** The secret is returned here once; only its hash is stored. */
    @WithTransaction
    public Uni<CreatedApiKey> create(NewApiKey request, String actor) {
        Uni<Boolean> ownerExists = request.ownerPersonId() != null
                ? persons.findById(request.ownerPersonId()).map(p -> p != null)
                : organisations.findById(request.ownerOrganisationId()).map(o -> o != null);
        return ownerExists.flatMap(exists -> {
            if (!exists) {
                String owner = request.ownerPersonId() != null
                        ? ResourceIds.name(ResourceIds.PERSONS, request.ownerPersonId())
                        : ResourceIds.name(ResourceIds.ORGANISATIONS, request.ownerOrganisationId());
                throw ApiError.invalidArgument(ErrorDomain.IDENTITY)
                        .violation("api_key.owner", owner + " does not exist")
                        .toException();
            }
            ApiKeySecret secret = ApiKeySecret.generate();
            Instant now = clock.now();
            String id = newId();
            ApiKey key = request.ownerPersonId() != null
                    ? ApiKey.forPerson(id, request.ownerPersonId(), request.displayName(), secret, now, request.expireTime())
                    : ApiKey.forOrganisation(id, request.ownerOrganisationId(), request.displayName(), secret, now,
                    request.expireTime());
            return apiKeys.persistAndFlush(key)
                    // The logged resource is the ApiKey as the API shows it: prefix, never the secret.
                    .call(stored -> changeLog.record(actor, ResourceIds.name(ResourceIds.API_KEYS, id), ChangeLog.CREATE,
                            null, IdentityMapping.toProto(stored, now), ""))
                    .map(stored -> new CreatedApiKey(stored, secret));
        });
    }

    @WithTransaction
    public Uni<ApiKey> revoke(String id, String actor) {
        return apiKeys.findById(id).flatMap(key -> {
            if (key == null) {
                throw ApiError.notFound(ErrorDomain.IDENTITY, ResourceIds.name(ResourceIds.API_KEYS, id)).toException();
            }
            Instant now = clock.now();
            var before = IdentityMapping.toProto(key, now);
            key.revoke(now);
            return changeLog.record(actor, ResourceIds.name(ResourceIds.API_KEYS, id), ChangeLog.REVOKE, before,
                    IdentityMapping.toProto(key, now), "").replaceWith(key);
        });
    }

    @WithSession
    public Uni<ApiKey> get(String id) {
        return apiKeys.findById(id).map(key -> {
            if (key == null) {
                throw ApiError.notFound(ErrorDomain.IDENTITY, ResourceIds.name(ResourceIds.API_KEYS, id)).toException();
            }
            return key;
        });
    }

    /** A page of keys, filtered as {@link ApiKeyRepository#page} says; the next token after the last id. */
    @WithSession
    public Uni<PageOf<ApiKey>> list(String personId, String organisationId, boolean withRevoked, Paging.Page page) {
        return apiKeys.page(page.afterId(), personId, organisationId, withRevoked, page.size() + 1).map(rows -> {
            if (rows.size() <= page.size()) {
                return new PageOf<>(rows, "");
            }
            List<ApiKey> items = rows.subList(0, page.size());
            return new PageOf<>(List.copyOf(items), Paging.token(ResourceIds.API_KEYS, items.get(items.size() - 1).id()));
        });
    }

    /**
     * A new secret; the current one stays accepted until {@code previousExpireTime} (null:
     * not at all). Refused for revoked or expired keys, for an overlap past the key's own
     * expiry, and for an overlap while an earlier rotation's is still running (a key has at
     * most two secrets); an immediate rotation is always allowed, for a leaked secret.
     */
    @WithTransaction
    public Uni<CreatedApiKey> rotate(String id, Instant previousExpireTime, String actor) {
        String name = ResourceIds.name(ResourceIds.API_KEYS, id);
        return apiKeys.findById(id).flatMap(key -> {
            if (key == null) {
                throw ApiError.notFound(ErrorDomain.IDENTITY, name).toException();
            }
            Instant now = clock.now();
            var before = IdentityMapping.toProto(key, now);
            if (key.isRevoked() || key.isExpiredAt(now)) {
                throw ApiError.of(Code.FAILED_PRECONDITION, ErrorReason.ERROR_REASON_FAILED_PRECONDITION,
                                ErrorDomain.IDENTITY, name + " is " + (key.isRevoked() ? "revoked" : "expired")
                                        + "; create a new key instead")
                        .put("resource", name).toException();
            }
            boolean overlap = previousExpireTime != null && previousExpireTime.isAfter(now);
            if (overlap && key.expireTime() != null && previousExpireTime.isAfter(key.expireTime())) {
                throw ApiError.invalidArgument(ErrorDomain.IDENTITY)
                        .violation("previous_secret_expire_time", "must not be after the key's expire_time "
                                + key.expireTime())
                        .toException();
            }
            if (overlap && key.hasPreviousSecretAt(now)) {
                throw ApiError.of(Code.FAILED_PRECONDITION, ErrorReason.ERROR_REASON_FAILED_PRECONDITION,
                                ErrorDomain.IDENTITY, name + " is still in the overlap of its last rotation until "
                                        + key.previousSecretExpireTime()
                                        + "; rotate again after it, or without an overlap")
                        .put("resource", name)
                        .put("previous_secret_expire_time", key.previousSecretExpireTime().toString())
                        .toException();
            }
            ApiKeySecret next = ApiKeySecret.generate();
            key.rotate(next, now, overlap ? previousExpireTime : now);
            return changeLog.record(actor, name, ChangeLog.ROTATE, before, IdentityMapping.toProto(key, now), "")
                    .replaceWith(new CreatedApiKey(key, next));
        });
    }

    /** 16 hex digits: unguessable is not needed (the id is no secret), unique is. */
    private static String newId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
