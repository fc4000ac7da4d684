package dev.clearance.identity.grpc;

import dev.clearance.access.AccessPolicy;
import dev.clearance.access.MethodAccess;
import dev.clearance.identity.ErrorDomain;
import dev.clearance.identity.v1.IdentityServiceGrpc;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import static dev.clearance.access.Role.ADMIN;
import static dev.clearance.access.Role.AUDITOR;
import static dev.clearance.access.Role.COMPLIANCE;

/**
 * identity-service's role table (the README shows it): every RPC of IdentityService, who may call
 * it. Admins run persons, organisations, API keys and the Keycloak sync; compliance officers attest and revoke
 * evidence and review screening; all three roles read. ResolveCaller and WatchIdentityChanges are
 * internal (routers, entitlement-service) and protected by the network, not by a user token.
 */
@Singleton
public class IdentityAccess {

    @Produces
    @Singleton
    AccessPolicy identityAccessPolicy() {
        MethodAccess read = MethodAccess.anyOf(ADMIN, COMPLIANCE, AUDITOR);
        return AccessPolicy.forService(IdentityServiceGrpc.getServiceDescriptor(), ErrorDomain.IDENTITY)
                .method(IdentityServiceGrpc.getResolveCallerMethod(), MethodAccess.network())
                .method(IdentityServiceGrpc.getWatchIdentityChangesMethod(), MethodAccess.network())
                .method(IdentityServiceGrpc.getCreatePersonMethod(), ADMIN)
                .method(IdentityServiceGrpc.getGetPersonMethod(), read)
                .method(IdentityServiceGrpc.getListPersonsMethod(), read)
                .method(IdentityServiceGrpc.getUpdatePersonMethod(), ADMIN)
                .method(IdentityServiceGrpc.getCreateOrganisationMethod(), ADMIN)
                .method(IdentityServiceGrpc.getGetOrganisationMethod(), read)
                .method(IdentityServiceGrpc.getListOrganisationsMethod(), read)
                .method(IdentityServiceGrpc.getUpdateOrganisationMethod(), ADMIN)
                .method(IdentityServiceGrpc.getRecordVerificationMethod(), COMPLIANCE)
                .method(IdentityServiceGrpc.getGetVerificationMethod(), read)
                .method(IdentityServiceGrpc.getListVerificationsMethod(), read)
                .method(IdentityServiceGrpc.getRevokeVerificationMethod(), COMPLIANCE)
                .method(IdentityServiceGrpc.getGetScreeningListMethod(), read)
                .method(IdentityServiceGrpc.getReloadScreeningListMethod(), COMPLIANCE)
                .method(IdentityServiceGrpc.getListScreeningMatchesMethod(), read)
                .method(IdentityServiceGrpc.getResolveScreeningMatchMethod(), COMPLIANCE)
                .method(IdentityServiceGrpc.getCreateApiKeyMethod(), ADMIN)
                .method(IdentityServiceGrpc.getGetApiKeyMethod(), read)
                .method(IdentityServiceGrpc.getRotateApiKeyMethod(), ADMIN)
                .method(IdentityServiceGrpc.getRevokeApiKeyMethod(), ADMIN)
                .method(IdentityServiceGrpc.getListApiKeysMethod(), read)
                // The impact preview lists everyone with the officer's own token: the read roles.
                .method(IdentityServiceGrpc.getStreamPopulationMethod(), read)
                .method(IdentityServiceGrpc.getSyncKeycloakMethod(), ADMIN)
                // The change log is for those who check the admins: compliance and auditors.
                .method(IdentityServiceGrpc.getListChangesMethod(), MethodAccess.anyOf(COMPLIANCE, AUDITOR))
                .build();
    }
}
