package dev.clearance.identity.grpc;

import dev.clearance.api.ApiError;
import dev.clearance.identity.ErrorDomain;
import dev.clearance.identity.changes.IdentityChanges;
import dev.clearance.identity.domain.KeycloakSyncRun;
import dev.clearance.identity.keycloak.KeycloakSessions;
import dev.clearance.identity.keycloak.KeycloakSync;
import dev.clearance.identity.keycloak.KeycloakUnavailableException;
import dev.clearance.identity.mapping.IdentityMapping;
import dev.clearance.identity.service.ApiKeyConfig;
import dev.clearance.identity.service.ApiKeyService;
import dev.clearance.identity.service.ChangeLog;
import dev.clearance.identity.service.CallerResolver;
import dev.clearance.identity.service.DatabaseClock;
import dev.clearance.identity.service.OrganisationService;
import dev.clearance.identity.service.PersonService;
import dev.clearance.identity.service.PopulationService;
import dev.clearance.identity.service.ResolvedCaller;
import dev.clearance.identity.service.VerificationService;
import dev.clearance.identity.v1.*;
import com.google.rpc.Code;
import dev.clearance.common.v1.ErrorReason;
import dev.clearance.identity.screening.ScreeningLists;
import dev.clearance.identity.screening.ScreeningService;
import dev.clearance.identity.validation.RequestValidation;
import dev.clearance.identity.validation.ScreeningRequests;
import dev.clearance.identity.validation.ResourceIds;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.function.Supplier;

/** Thin: validate, call the use case, map. Errors are mapped by {@link IdentityExceptionHandlerProvider}. */
@GrpcService
public class IdentityGrpcService extends MutinyIdentityServiceGrpc.IdentityServiceImplBase {

    @Inject
    CallerResolver callers;
    @Inject
    PersonService persons;
    @Inject
    OrganisationService organisations;
    @Inject
    VerificationService verifications;
    @Inject
    ApiKeyService apiKeys;
    @Inject
    DatabaseClock clock;
    @Inject
    ScreeningService screening;
    @Inject
    ApiKeyConfig apiKeyConfig;
    @Inject
    ScreeningLists screeningLists;
    @Inject
    IdentityChanges changes;
    @Inject
    KeycloakSync keycloakSync;
    @Inject
    KeycloakSessions keycloakSessions;
    @Inject
    ChangeLog changeLog;
    @Inject
    PopulationService population;

    /**
     * Committed identity changes. Every publication below runs when the transactional use case's
     * {@code Uni} has completed, i.e. after its transaction committed.
     */
    @Override
    public Multi<WatchIdentityChangesResponse> watchIdentityChanges(WatchIdentityChangesRequest request) {
        return changes.stream();
    }

    @Override
    public Uni<ResolveCallerResponse> resolveCaller(ResolveCallerRequest request) {
        return call(() -> {
            Uni<ResolvedCaller> resolved = switch (request.getCredentialCase()) {
                case BEARER_TOKEN -> callers.byBearerToken(request.getBearerToken());
                case API_KEY -> callers.byApiKey(request.getApiKey());
                case SUBJECT -> callers.bySubject(request.getSubject());
                case CREDENTIAL_NOT_SET -> Uni.createFrom().failure(ApiError.invalidArgument(ErrorDomain.IDENTITY)
                        .violation("credential", "one of bearer_token, api_key or subject is required")
                        .toException());
            };
            return resolved.map(c -> ResolveCallerResponse.newBuilder().setCaller(IdentityMapping.toProto(c)).build());
        });
    }

    @Override
    public Uni<ListChangesResponse> listChanges(ListChangesRequest request) {
        return call(() -> changeLog.list(request)
                .map(page -> ListChangesResponse.newBuilder()
                        .addAllChanges(page.changes()).setNextPageToken(page.nextPageToken()).build()));
    }

    @Override
    public Uni<CreatePersonResponse> createPerson(CreatePersonRequest request) {
        return call(() -> persons.create(RequestValidation.newPerson(request), Actor.current())
                .map(p -> CreatePersonResponse.newBuilder().setPerson(IdentityMapping.toProto(p)).build()));
    }

    @Override
    public Uni<GetPersonResponse> getPerson(GetPersonRequest request) {
        return call(() -> persons.get(RequestValidation.resourceId("name", ResourceIds.PERSONS, request.getName()))
                .map(p -> GetPersonResponse.newBuilder().setPerson(IdentityMapping.toProto(p)).build()));
    }

    @Override
    public Uni<ListPersonsResponse> listPersons(ListPersonsRequest request) {
        return call(() -> persons.list(RequestValidation.page(ResourceIds.PERSONS, request.getPageSize(), request.getPageToken()))
                .map(page -> ListPersonsResponse.newBuilder()
                        .addAllPersons(page.items().stream().map(IdentityMapping::toProto).toList())
                        .setNextPageToken(page.nextPageToken())
                        .build()));
    }

    @Override
    public Uni<UpdatePersonResponse> updatePerson(UpdatePersonRequest request) {
        return call(() -> {
            var update = RequestValidation.updatePerson(request);
            return persons.rename(update.id(), update.displayName(), Actor.current())
                    .invoke(p -> changes.person(p.id(), p.identityRevision(), p.updateTime()))
                    .map(p -> UpdatePersonResponse.newBuilder().setPerson(IdentityMapping.toProto(p)).build());
        });
    }

    @Override
    public Uni<UpdateOrganisationResponse> updateOrganisation(UpdateOrganisationRequest request) {
        return call(() -> {
            var update = RequestValidation.updateOrganisation(request);
            return organisations.update(update.id(), update.displayName(), update.country(), Actor.current())
                    .invoke(o -> changes.organisation(update.id(), null))
                    .map(o -> UpdateOrganisationResponse.newBuilder().setOrganisation(IdentityMapping.toProto(o)).build());
        });
    }

    @Override
    public Uni<CreateOrganisationResponse> createOrganisation(CreateOrganisationRequest request) {
        return call(() -> organisations.create(RequestValidation.newOrganisation(request), Actor.current())
                .map(o -> CreateOrganisationResponse.newBuilder().setOrganisation(IdentityMapping.toProto(o)).build()));
    }

    @Override
    public Uni<GetOrganisationResponse> getOrganisation(GetOrganisationRequest request) {
        return call(() -> organisations.get(RequestValidation.resourceId("name", ResourceIds.ORGANISATIONS, request.getName()))
                .map(o -> GetOrganisationResponse.newBuilder().setOrganisation(IdentityMapping.toProto(o)).build()));
    }

    @Override
    public Uni<ListOrganisationsResponse> listOrganisations(ListOrganisationsRequest request) {
        return call(() -> organisations.list(RequestValidation.page(ResourceIds.ORGANISATIONS, request.getPageSize(),
                        request.getPageToken()))
                .map(page -> ListOrganisationsResponse.newBuilder()
                        .addAllOrganisations(page.items().stream().map(IdentityMapping::toProto).toList())
                        .setNextPageToken(page.nextPageToken())
                        .build()));
    }

    @Override
    public Uni<RecordVerificationResponse> recordVerification(RecordVerificationRequest request) {
        return call(() -> {
            var command = RequestValidation.newVerification(request, clock.now(), Actor.current());
            return verifications.record(command.personId(), command.evidence())
                    .invoke(r -> changes.person(r.person().id(), r.person().identityRevision(), r.person().updateTime()))
                    .map(r -> RecordVerificationResponse.newBuilder()
                            .setVerification(IdentityMapping.toProto(r.verification()))
                            .setPerson(IdentityMapping.toProto(r.person()))
                            .build());
        });
    }

    @Override
    public Uni<GetVerificationResponse> getVerification(GetVerificationRequest request) {
        return call(() -> {
            String[] ids = RequestValidation.verificationName("name", request.getName());
            return verifications.get(ids[0], ids[1])
                    .map(v -> GetVerificationResponse.newBuilder().setVerification(IdentityMapping.toProto(v)).build());
        });
    }

    @Override
    public Uni<ListVerificationsResponse> listVerifications(ListVerificationsRequest request) {
        return call(() -> {
            var list = RequestValidation.listVerifications(request);
            return verifications.list(list.personId(), list.page())
                    .map(page -> ListVerificationsResponse.newBuilder()
                            .addAllVerifications(page.items().stream().map(IdentityMapping::toProto).toList())
                            .setNextPageToken(page.nextPageToken())
                            .build());
        });
    }

    @Override
    public Uni<RevokeVerificationResponse> revokeVerification(RevokeVerificationRequest request) {
        return call(() -> {
            ApiError errors = ApiError.invalidArgument(ErrorDomain.IDENTITY);
            var revoke = RequestValidation.revokeVerification(request, errors);
            String actor = Actor.current();
            errors.throwIfViolations();
            return verifications.revoke(revoke.personId(), revoke.verificationId(), actor, revoke.reason())
                    .invoke(r -> changes.person(r.person().id(), r.person().identityRevision(), r.person().updateTime()))
                    // Revoked evidence can only make the status more restrictive: no session keeps the old one.
                    .invoke(r -> keycloakSessions.endFor(r.person().id(), "evidence revoked"))
                    .map(r -> RevokeVerificationResponse.newBuilder()
                            .setVerification(IdentityMapping.toProto(r.verification()))
                            .setPerson(IdentityMapping.toProto(r.person()))
                            .build());
        });
    }

    @Override
    public Uni<CreateApiKeyResponse> createApiKey(CreateApiKeyRequest request) {
        return call(() -> apiKeys.create(RequestValidation.newApiKey(request, clock.now()), Actor.current())
                .map(created -> CreateApiKeyResponse.newBuilder()
                        .setApiKey(IdentityMapping.toProto(created.apiKey(), clock.now()))
                        .setSecret(created.secret().value())
                        .build()));
    }

    @Override
    public Uni<GetApiKeyResponse> getApiKey(GetApiKeyRequest request) {
        return call(() -> apiKeys.get(RequestValidation.resourceId("name", ResourceIds.API_KEYS, request.getName()))
                .map(k -> GetApiKeyResponse.newBuilder().setApiKey(IdentityMapping.toProto(k, clock.now())).build()));
    }

    @Override
    public Uni<RotateApiKeyResponse> rotateApiKey(RotateApiKeyRequest request) {
        return call(() -> {
            var rotation = RequestValidation.rotateApiKey(request, clock.now(), apiKeyConfig.maxRotationOverlap());
            return apiKeys.rotate(rotation.apiKeyId(), rotation.previousExpireTime(), Actor.current())
                    .invoke(rotated -> changes.apiKey(rotated.apiKey().id(), rotated.apiKey().rotateTime()))
                    .map(rotated -> RotateApiKeyResponse.newBuilder()
                            .setApiKey(IdentityMapping.toProto(rotated.apiKey(), clock.now()))
                            .setSecret(rotated.secret().value())
                            .build());
        });
    }

    @Override
    public Uni<RevokeApiKeyResponse> revokeApiKey(RevokeApiKeyRequest request) {
        return call(() -> apiKeys.revoke(RequestValidation.resourceId("name", ResourceIds.API_KEYS, request.getName()), Actor.current())
                .invoke(k -> changes.apiKey(k.id(), k.revokeTime()))
                .map(k -> RevokeApiKeyResponse.newBuilder().setApiKey(IdentityMapping.toProto(k, clock.now())).build()));
    }

    @Override
    public Uni<ListApiKeysResponse> listApiKeys(ListApiKeysRequest request) {
        return call(() -> {
            var list = RequestValidation.listApiKeys(request);
            return apiKeys.list(list.personId(), list.organisationId(), list.showRevoked(), list.page())
                    .map(page -> {
                        Instant now = clock.now();
                        var b = ListApiKeysResponse.newBuilder().setNextPageToken(page.nextPageToken());
                        page.items().forEach(k -> b.addApiKeys(IdentityMapping.toProto(k, now)));
                        return b.build();
                    });
        });
    }

    @Override
    public Multi<StreamPopulationResponse> streamPopulation(StreamPopulationRequest request) {
        int batch;
        try {
            batch = RequestValidation.populationBatch(request);
        } catch (StatusRuntimeException e) {
            return Multi.createFrom().failure(e);
        }
        return population.stream(batch).map(b -> {
            var r = StreamPopulationResponse.newBuilder();
            b.organisations().forEach(o -> r.addOrganisations(IdentityMapping.toProto(o)));
            b.persons().forEach(p -> r.addPersons(IdentityMapping.toProto(p)));
            b.apiKeys().forEach(k -> r.addApiKeys(IdentityMapping.toProto(k)));
            return r.build();
        });
    }

    @Override
    public Uni<GetScreeningListResponse> getScreeningList(GetScreeningListRequest request) {
        return call(() -> Uni.createFrom().item(GetScreeningListResponse.newBuilder()
                .setScreeningList(IdentityMapping.toProto(screeningLists.current())).build()));
    }

    @Override
    public Uni<ReloadScreeningListResponse> reloadScreeningList(ReloadScreeningListRequest request) {
        return call(() -> screening.reloadAndRescreen()
                // Every batch has committed: routers drop what changed, restricted persons lose their sessions.
                .invoke(r -> {
                    r.changedOrganisations().forEach(id -> changes.organisation(id, null));
                    r.changedPersons().forEach(id -> changes.person(id, 0, null));
                    keycloakSessions.endFor(r.restrictedPersons(), "screening list reload: new match");
                    r.restrictedOrganisations().forEach(id -> keycloakSessions.endForMembers(id,
                            "screening list reload: organisation matched"));
                })
                .map(r -> ReloadScreeningListResponse.newBuilder()
                        .setScreeningList(IdentityMapping.toProto(r.list()))
                        .setSubjectsScreened(r.subjectsScreened())
                        .setStatusChanges(r.statusChanges())
                        .build())
                .onFailure(ScreeningLists.ListReloadFailedException.class)
                .transform(e -> {
                    var failed = (ScreeningLists.ListReloadFailedException) e;
                    return ApiError.of(Code.FAILED_PRECONDITION, ErrorReason.ERROR_REASON_FAILED_PRECONDITION,
                                    ErrorDomain.IDENTITY, "the screening list was not reloaded: " + failed.getMessage()
                                            + "; the list in force (version " + failed.inForce().version() + ") stays")
                            .put("problem", failed.getMessage())
                            .put("version_in_force", failed.inForce().version())
                            .toException();
                }));
    }

    @Override
    public Uni<ListScreeningMatchesResponse> listScreeningMatches(ListScreeningMatchesRequest request) {
        return call(() -> {
            var list = ScreeningRequests.list(request);
            return screening.list(list.state(), list.subjectType(), list.subjectId(), list.afterSeq(), list.size())
                    .map(page -> ListScreeningMatchesResponse.newBuilder()
                            .addAllScreeningMatches(page.items().stream().map(IdentityMapping::toProto).toList())
                            .setNextPageToken(page.nextPageToken())
                            .build());
        });
    }

    @Override
    public Uni<ResolveScreeningMatchResponse> resolveScreeningMatch(ResolveScreeningMatchRequest request) {
        return call(() -> {
            ApiError errors = ApiError.invalidArgument(ErrorDomain.IDENTITY);
            var resolution = ScreeningRequests.resolve(request, errors);
            String actor = Actor.current();
            errors.throwIfViolations();
            return screening.resolve(resolution.matchId(), resolution.to(), actor, resolution.reason())
                    .invoke(r -> {
                        boolean person = r.match().subjectType() == dev.clearance.identity.domain.ScreeningMatch.SubjectType.PERSON;
                        if (person) {
                            changes.person(r.match().subjectId(), 0, null);
                        } else {
                            changes.organisation(r.match().subjectId(), null);
                        }
                        if (r.match().state() == dev.clearance.identity.domain.ScreeningMatch.State.CONFIRMED) {
                            if (person) {
                                keycloakSessions.endFor(r.match().subjectId(), "screening match confirmed");
                            } else {
                                keycloakSessions.endForMembers(r.match().subjectId(), "screening match confirmed");
                            }
                        }
                    })
                    .map(r -> ResolveScreeningMatchResponse.newBuilder()
                            .setScreeningMatch(IdentityMapping.toProto(r.match()))
                            .setSubjectScreeningStatus(IdentityMapping.toProto(r.subjectStatus()))
                            .build());
        });
    }

    @Override
    public Uni<SyncKeycloakResponse> syncKeycloak(SyncKeycloakRequest request) {
        return call(() -> {
            if (!keycloakSync.configured()) {
                throw ApiError.of(Code.FAILED_PRECONDITION, ErrorReason.ERROR_REASON_FAILED_PRECONDITION,
                                ErrorDomain.IDENTITY, "Keycloak sync is not configured (clearance.keycloak.admin.client-secret)")
                        .put("setting", "clearance.keycloak.admin.client-secret")
                        .toException();
            }
            return keycloakSync.run(KeycloakSyncRun.Trigger.ON_DEMAND)
                    .map(report -> SyncKeycloakResponse.newBuilder().setRun(IdentityMapping.toProto(report)).build())
                    .onFailure(KeycloakUnavailableException.class)
                    .transform(e -> ApiError.of(Code.UNAVAILABLE, ErrorReason.ERROR_REASON_KEYCLOAK_UNAVAILABLE,
                                    ErrorDomain.IDENTITY, "Keycloak sync failed: " + e.getMessage()
                                            + "; nothing was changed, the periodic sync retries")
                            .put("problem", e.getMessage())
                            .toException());
        });
    }

    /** Validation throws synchronously; turn that into a failed Uni so one mapping sees every error. */
    private static <T> Uni<T> call(Supplier<Uni<T>> body) {
        try {
            return body.get();
        } catch (StatusRuntimeException e) {
            return Uni.createFrom().failure(e);
        }
    }
}
