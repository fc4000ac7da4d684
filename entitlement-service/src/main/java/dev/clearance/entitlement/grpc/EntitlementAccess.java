package dev.clearance.entitlement.grpc;

import dev.clearance.access.AccessPolicy;
import dev.clearance.access.MethodAccess;
import dev.clearance.entitlement.EntitlementErrors;
import dev.clearance.entitlement.v1.EntitlementServiceGrpc;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import static dev.clearance.access.Role.ADMIN;
import static dev.clearance.access.Role.AUDITOR;
import static dev.clearance.access.Role.COMPLIANCE;

/**
 * entitlement-service's role table (the README shows it): every RPC of EntitlementService, who may
 * call it. Admins run the catalogue, tiers, programmes, subscriptions and grants; compliance
 * officers run directives and licences; all three roles read (including the policy snapshot,
 * propagation status and Check). WatchPolicy and AcknowledgePolicy are the routers' and are
 * protected by the network, not by a user token. A new RPC is refused until it has an entry here
 * (RoleCheckTest fails meanwhile).
 */
@Singleton
public class EntitlementAccess {

    @Produces
    @Singleton
    AccessPolicy entitlementAccessPolicy() {
        MethodAccess read = MethodAccess.anyOf(ADMIN, COMPLIANCE, AUDITOR);
        return AccessPolicy.forService(EntitlementServiceGrpc.getServiceDescriptor(), EntitlementErrors.DOMAIN)
                .method(EntitlementServiceGrpc.getCreateModelFamilyMethod(), ADMIN)
                .method(EntitlementServiceGrpc.getListModelFamiliesMethod(), read)
                .method(EntitlementServiceGrpc.getCreateModelVersionMethod(), ADMIN)
                .method(EntitlementServiceGrpc.getListModelVersionsMethod(), read)
                .method(EntitlementServiceGrpc.getCreateModelAliasMethod(), ADMIN)
                .method(EntitlementServiceGrpc.getCreateTierMethod(), ADMIN)
                .method(EntitlementServiceGrpc.getListTiersMethod(), read)
                .method(EntitlementServiceGrpc.getCreateProgrammeMethod(), ADMIN)
                .method(EntitlementServiceGrpc.getCreateProgrammeMembershipMethod(), ADMIN)
                .method(EntitlementServiceGrpc.getCreateSubscriptionMethod(), ADMIN)
                .method(EntitlementServiceGrpc.getCreateGrantMethod(), ADMIN)
                .method(EntitlementServiceGrpc.getCreateLicenceMethod(), COMPLIANCE)
                .method(EntitlementServiceGrpc.getCreateDirectiveMethod(), COMPLIANCE)
                .method(EntitlementServiceGrpc.getGetDirectiveMethod(), read)
                .method(EntitlementServiceGrpc.getListDirectivesMethod(), read)
                .method(EntitlementServiceGrpc.getShadowDirectiveMethod(), COMPLIANCE)
                .method(EntitlementServiceGrpc.getEnforceDirectiveMethod(), COMPLIANCE)
                .method(EntitlementServiceGrpc.getRevokeDirectiveMethod(), COMPLIANCE)
                .method(EntitlementServiceGrpc.getCheckMethod(), read)
                .method(EntitlementServiceGrpc.getGetPolicySnapshotMethod(), read)
                .method(EntitlementServiceGrpc.getWatchPolicyMethod(), MethodAccess.network())
                .method(EntitlementServiceGrpc.getAcknowledgePolicyMethod(), MethodAccess.network())
                .method(EntitlementServiceGrpc.getGetPropagationStatusMethod(), read)
                .build();
    }
}
