package dev.clearance.identity.service;

import dev.clearance.api.ApiError;
import dev.clearance.identity.ErrorDomain;
import dev.clearance.identity.domain.ApiKey;
import dev.clearance.identity.domain.ApiKeySecret;
import dev.clearance.identity.repository.ApiKeyRepository;
import dev.clearance.identity.repository.OrganisationRepository;
import dev.clearance.identity.repository.PersonRepository;
import dev.clearance.identity.validation.ResourceIds;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;

@ApplicationScoped
public class ApiKeyService {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ApiKeyRepository apiKeys;
    private final PersonRepository persons;
    private final OrganisationRepository organisations;
    private final DatabaseClock clock;

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
    public Uni<CreatedApiKey> create(NewApiKey request) {
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
            return apiKeys.persistAndFlush(key).map(stored -> new CreatedApiKey(stored, secret));
        });
    }

    @WithTransaction
    public Uni<ApiKey> revoke(String id) {
        return apiKeys.findById(id).map(key -> {
            if (key == null) {
                throw ApiError.notFound(ErrorDomain.IDENTITY, ResourceIds.name(ResourceIds.API_KEYS, id)).toException();
            }
            key.revoke(clock.now());
            return key;
        });
    }

    /** 16 hex digits: unguessable is not needed (the id is no secret), unique is. */
    private static String newId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
