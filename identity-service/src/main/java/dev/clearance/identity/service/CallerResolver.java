package dev.clearance.identity.service;

import dev.clearance.api.ApiError;
import dev.clearance.common.v1.ErrorReason;
import dev.clearance.identity.ErrorDomain;
import dev.clearance.identity.domain.ApiKey;
import dev.clearance.identity.domain.ApiKeySecret;
import dev.clearance.identity.domain.Person;
import dev.clearance.identity.keycloak.AccessTokenVerifier;
import dev.clearance.identity.repository.ApiKeyRepository;
import dev.clearance.identity.repository.PersonRepository;
import dev.clearance.identity.service.ResolvedCaller.CredentialKind;
import dev.clearance.identity.validation.ResourceIds;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Optional;

/**
 * Resolves a credential to a stored identity. Nothing the caller presents besides the
 * credential itself is read: status, citizenships and assurance come from the person's stored
 * derivation only.
 */
@ApplicationScoped
public class CallerResolver {

    private final AccessTokenVerifier tokens;
    private final PersonRepository persons;
    private final ApiKeyRepository apiKeys;
    private final PersonStatus status;
    private final DatabaseClock clock;

    @Inject
    public CallerResolver(AccessTokenVerifier tokens, PersonRepository persons, ApiKeyRepository apiKeys,
                          PersonStatus status, DatabaseClock clock) {
        this.tokens = tokens;
        this.persons = persons;
        this.apiKeys = apiKeys;
        this.status = status;
        this.clock = clock;
    }

    /** Validates the token first (no session is open while keys may be fetched), then looks up its subject. */
    public Uni<ResolvedCaller> byBearerToken(String token) {
        if (token.isBlank()) {
            return Uni.createFrom().failure(missing());
        }
        return tokens.verify(token).flatMap(verified -> Panache.withSession(() ->
                persons.findBySubject(verified.subject()).flatMap(person -> {
                    if (person == null) {
                        throw ApiError.unauthenticated(ErrorReason.ERROR_REASON_CALLER_UNKNOWN, ErrorDomain.IDENTITY,
                                "the token is valid but its subject is linked to no person").toException();
                    }
                    return status.current(person);
                }).map(person -> new ResolvedCaller(person, person.organisationId(), CredentialKind.BEARER_TOKEN,
                        null, verified.subject()))));
    }

    public Uni<ResolvedCaller> byApiKey(String presented) {
        if (presented.isBlank()) {
            return Uni.createFrom().failure(missing());
        }
        Optional<ApiKeySecret> secret = ApiKeySecret.parse(presented);
        if (secret.isEmpty()) {
            return Uni.createFrom().failure(invalidKey());
        }
        return Panache.withSession(() -> apiKeys.findByPrefix(secret.get().prefix())
                .flatMap(key -> {
                    // Same answer for an unknown prefix and a wrong secret: no probing for prefixes.
                    if (key == null || !secret.get().matches(key.secretHash())) {
                        throw invalidKey();
                    }
                    return ofKey(key, CredentialKind.API_KEY);
                }));
    }

    /** Trusted internal what-if: {@code persons/{id}} or {@code apiKeys/{id}}, no secret. */
    public Uni<ResolvedCaller> bySubject(String subject) {
        Optional<String> personId = ResourceIds.parse(ResourceIds.PERSONS, subject);
        Optional<String> apiKeyId = ResourceIds.parse(ResourceIds.API_KEYS, subject);
        if (personId.isPresent()) {
            return Panache.withSession(() -> persons.findWithStatus(personId.get()).flatMap(person -> {
                if (person == null) {
                    throw ApiError.notFound(ErrorDomain.IDENTITY, subject).toException();
                }
                return status.current(person);
            }).map(person -> new ResolvedCaller(person, person.organisationId(), CredentialKind.SUBJECT, null, null)));
        }
        if (apiKeyId.isPresent()) {
            return Panache.withSession(() -> apiKeys.findById(apiKeyId.get()).flatMap(key -> {
                if (key == null) {
                    throw ApiError.notFound(ErrorDomain.IDENTITY, subject).toException();
                }
                return ofKey(key, CredentialKind.SUBJECT);
            }));
        }
        return Uni.createFrom().failure(ApiError.invalidArgument(ErrorDomain.IDENTITY)
                .violation("subject", "must be persons/{person} or apiKeys/{api_key}")
                .toException());
    }

    private Uni<ResolvedCaller> ofKey(ApiKey key, CredentialKind kind) {
        if (key.isRevoked()) {
            throw ApiError.unauthenticated(ErrorReason.ERROR_REASON_API_KEY_REVOKED, ErrorDomain.IDENTITY,
                    "API key apiKeys/" + key.id() + " has been revoked").put("api_key", "apiKeys/" + key.id()).toException();
        }
        if (key.isExpiredAt(clock.now())) {
            throw ApiError.unauthenticated(ErrorReason.ERROR_REASON_CREDENTIAL_EXPIRED, ErrorDomain.IDENTITY,
                    "API key apiKeys/" + key.id() + " has expired").put("api_key", "apiKeys/" + key.id()).toException();
        }
        if (!key.isPersonKey()) {
            // Not bound to a verified person: cannot establish US-person status.
            return Uni.createFrom().item(new ResolvedCaller(null, key.ownerOrganisationId(), kind, key.id(), null));
        }
        return persons.findWithStatus(key.ownerPersonId())
                .flatMap(status::current)
                .map(person -> new ResolvedCaller(person, person.organisationId(), kind, key.id(), null));
    }

    private static RuntimeException missing() {
        return ApiError.unauthenticated(ErrorReason.ERROR_REASON_CREDENTIAL_MISSING, ErrorDomain.IDENTITY,
                "no credential given").toException();
    }

    private static RuntimeException invalidKey() {
        return ApiError.unauthenticated(ErrorReason.ERROR_REASON_CREDENTIAL_INVALID, ErrorDomain.IDENTITY,
                "the API key is not valid").toException();
    }
}
