package dev.clearance.identity.service;

import dev.clearance.api.ApiError;
import dev.clearance.common.v1.ErrorReason;
import dev.clearance.identity.ErrorDomain;
import dev.clearance.identity.domain.ApiKey;
import dev.clearance.identity.domain.ApiKeySecret;
import dev.clearance.identity.domain.Person;
import dev.clearance.access.AccessTokenVerifier;
import dev.clearance.identity.repository.ApiKeyRepository;
import dev.clearance.identity.repository.OrganisationRepository;
import dev.clearance.identity.repository.PersonRepository;
import dev.clearance.identity.service.ResolvedCaller.CredentialKind;
import dev.clearance.identity.validation.ResourceIds;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Optional;

/**
 * Resolves a credential to a stored identity. Nothing the caller presents besides the
 * credential itself is read: status, citizenships and assurance come from the person's stored
 * derivation only.
 */
@ApplicationScoped
public class CallerResolver {

    private static final Logger LOG = Logger.getLogger(CallerResolver.class);

    private final AccessTokenVerifier tokens;
    private final PersonRepository persons;
    private final ApiKeyRepository apiKeys;
    private final OrganisationRepository organisations;
    private final PersonStatus status;
    private final ApiKeyConfig apiKeyConfig;
    private final DatabaseClock clock;

    @Inject
    public CallerResolver(AccessTokenVerifier tokens, PersonRepository persons, ApiKeyRepository apiKeys,
                          OrganisationRepository organisations, PersonStatus status, ApiKeyConfig apiKeyConfig,
                          DatabaseClock clock) {
        this.apiKeyConfig = apiKeyConfig;
        this.tokens = tokens;
        this.persons = persons;
        this.apiKeys = apiKeys;
        this.organisations = organisations;
        this.status = status;
        this.clock = clock;
    }

    /** Validates the token first (no session is open while keys may be fetched), then looks up its subject. */
    public Uni<ResolvedCaller> byBearerToken(String token) {
        if (token.isBlank()) {
            return Uni.createFrom().failure(missing());
        }
        return tokens.verify(token, ErrorDomain.IDENTITY).flatMap(verified -> Panache.withSession(() ->
                persons.findBySubject(verified.subject()).flatMap(person -> {
                    if (person == null) {
                        throw ApiError.unauthenticated(ErrorReason.ERROR_REASON_CALLER_UNKNOWN, ErrorDomain.IDENTITY,
                                "the token is valid but its subject is linked to no person").toException();
                    }
                    return status.current(person);
                }).flatMap(person -> withOrganisation(person, CredentialKind.BEARER_TOKEN, null, verified.subject()))));
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
                .flatMap(candidates -> {
                    for (ApiKey key : candidates) {
                        ApiKey.Match match = key.match(secret.get());
                        if (match != ApiKey.Match.NONE) {
                            return ofKey(key, CredentialKind.API_KEY, match)
                                    .call(ignored -> recordUse(key, match));
                        }
                    }
                    // Same answer for an unknown prefix and a wrong secret: no probing for prefixes.
                    throw invalidKey();
                }));
    }

    /**
     * Last use is written only when the recorded one is older than the granularity, so a busy
     * key costs one write a minute, not one per request. A failed write never fails the caller.
     */
    private Uni<Void> recordUse(ApiKey key, ApiKey.Match match) {
        Instant now = clock.now();
        Instant since = now.minus(apiKeyConfig.lastUseGranularity());
        boolean previous = match == ApiKey.Match.PREVIOUS;
        Instant recorded = previous ? key.previousSecretLastUseTime() : key.lastUseTime();
        if (recorded != null && !recorded.isBefore(since)) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withTransaction(() -> apiKeys.recordUse(key.id(), previous, now, since))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("could not record the use of apiKeys/%s: %s", key.id(), e.toString());
                    return null;
                });
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
            }).flatMap(person -> withOrganisation(person, CredentialKind.SUBJECT, null, null)));
        }
        if (apiKeyId.isPresent()) {
            return Panache.withSession(() -> apiKeys.findById(apiKeyId.get()).flatMap(key -> {
                if (key == null) {
                    throw ApiError.notFound(ErrorDomain.IDENTITY, subject).toException();
                }
                return ofKey(key, CredentialKind.SUBJECT, ApiKey.Match.CURRENT);
            }));
        }
        return Uni.createFrom().failure(ApiError.invalidArgument(ErrorDomain.IDENTITY)
                .violation("subject", "must be persons/{person} or apiKeys/{api_key}")
                .toException());
    }

    private Uni<ResolvedCaller> ofKey(ApiKey key, CredentialKind kind, ApiKey.Match match) {
        if (key.isRevoked()) {
            throw ApiError.unauthenticated(ErrorReason.ERROR_REASON_API_KEY_REVOKED, ErrorDomain.IDENTITY,
                    "API key apiKeys/" + key.id() + " has been revoked").put("api_key", "apiKeys/" + key.id()).toException();
        }
        if (key.isExpiredAt(clock.now())) {
            throw ApiError.unauthenticated(ErrorReason.ERROR_REASON_CREDENTIAL_EXPIRED, ErrorDomain.IDENTITY,
                    "API key apiKeys/" + key.id() + " has expired").put("api_key", "apiKeys/" + key.id()).toException();
        }
        if (match == ApiKey.Match.PREVIOUS && !key.hasPreviousSecretAt(clock.now())) {
            throw ApiError.unauthenticated(ErrorReason.ERROR_REASON_CREDENTIAL_EXPIRED, ErrorDomain.IDENTITY,
                            "this secret of API key apiKeys/" + key.id() + " was rotated out at "
                                    + key.previousSecretExpireTime())
                    .put("api_key", "apiKeys/" + key.id())
                    .put("previous_secret_expire_time", key.previousSecretExpireTime().toString())
                    .toException();
        }
        if (!key.isPersonKey()) {
            // Not bound to a verified person: cannot establish US-person status.
            return organisations.findById(key.ownerOrganisationId()).map(org -> new ResolvedCaller(null,
                    key.ownerOrganisationId(), kind, key.id(), null, org == null ? null : org.screeningStatus()));
        }
        return persons.findWithStatus(key.ownerPersonId())
                .flatMap(status::current)
                .flatMap(person -> withOrganisation(person, kind, key.id(), null));
    }

    /** The caller carries their organisation's screening status too (the engine denies on the worse). */
    private Uni<ResolvedCaller> withOrganisation(Person person, CredentialKind kind, String apiKeyId, String subject) {
        if (person.organisationId() == null) {
            return Uni.createFrom().item(new ResolvedCaller(person, null, kind, apiKeyId, subject, null));
        }
        return organisations.findById(person.organisationId()).map(org -> new ResolvedCaller(person,
                person.organisationId(), kind, apiKeyId, subject, org == null ? null : org.screeningStatus()));
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
