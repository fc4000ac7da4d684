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
 * propagation status and Check). WatchPolicy, AcknowledgePolicy and RecordDecisionCounts are the routers' and are
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
                .method(EntitlementServiceGrpc.getUpdateModelFamilyMethod(), ADMIN)
                .method(EntitlementServiceGrpc.getDeleteModelFamilyMethod(), ADMIN)
                .method(EntitlementServiceGrpc.getUpdateModelVersionMethod(), ADMIN)
                .method(EntitlementServiceGrpc.getDeleteModelVersionMethod(), ADMIN)
                .method(EntitlementServiceGrpc.getUpdateModelAliasMethod(), ADMIN)
                .method(EntitlementServiceGrpc.getDeleteModelAliasMethod(), ADMIN)
                .method(EntitlementServiceGrpc.getUpdateTierMethod(), ADMIN)
                .method(EntitlementServiceGrpc.getDeleteTierMethod(), ADMIN)
                .method(EntitlementServiceGrpc.getUpdateProgrammeMethod(), ADMIN)
                .method(EntitlementServiceGrpc.getDeleteProgrammeMethod(), ADMIN)
                .method(EntitlementServiceGrpc.getDeleteProgrammeMembershipMethod(), ADMIN)
                .method(EntitlementServiceGrpc.getUpdateSubscriptionMethod(), ADMIN)
                .method(EntitlementServiceGrpc.getDeleteSubscriptionMethod(), ADMIN)
                .method(EntitlementServiceGrpc.getUpdateGrantMethod(), ADMIN)
                .method(EntitlementServiceGrpc.getDeleteGrantMethod(), ADMIN)
                .method(EntitlementServiceGrpc.getUpdateLicenceMethod(), COMPLIANCE)
                .method(EntitlementServiceGrpc.getDeleteLicenceMethod(), COMPLIANCE)
                .method(EntitlementServiceGrpc.getGetModelFamilyMethod(), read)
                .method(EntitlementServiceGrpc.getGetModelVersionMethod(), read)
                .method(EntitlementServiceGrpc.getGetModelAliasMethod(), read)
                .method(EntitlementServiceGrpc.getListModelAliasesMethod(), read)
                .method(EntitlementServiceGrpc.getGetTierMethod(), read)
                .method(EntitlementServiceGrpc.getGetProgrammeMethod(), read)
                .method(EntitlementServiceGrpc.getListProgrammesMethod(), read)
                .method(EntitlementServiceGrpc.getGetProgrammeMembershipMethod(), read)
                .method(EntitlementServiceGrpc.getListProgrammeMembershipsMethod(), read)
                .method(EntitlementServiceGrpc.getGetSubscriptionMethod(), read)
                .method(EntitlementServiceGrpc.getListSubscriptionsMethod(), read)
                .method(EntitlementServiceGrpc.getGetGrantMethod(), read)
                .method(EntitlementServiceGrpc.getListGrantsMethod(), read)
                .method(EntitlementServiceGrpc.getGetLicenceMethod(), read)
                .method(EntitlementServiceGrpc.getListLicencesMethod(), read)
                .method(EntitlementServiceGrpc.getListChangesMethod(), read)
                .method(EntitlementServiceGrpc.getCreateDirectiveMethod(), COMPLIANCE)
                .method(EntitlementServiceGrpc.getGetDirectiveMethod(), read)
                .method(EntitlementServiceGrpc.getListDirectivesMethod(), read)
                .method(EntitlementServiceGrpc.getShadowDirectiveMethod(), COMPLIANCE)
                .method(EntitlementServiceGrpc.getEnforceDirectiveMethod(), COMPLIANCE)
                .method(EntitlementServiceGrpc.getRevokeDirectiveMethod(), COMPLIANCE)
                .method(EntitlementServiceGrpc.getApproveDirectiveMethod(), COMPLIANCE)
                .method(EntitlementServiceGrpc.getSuspendDirectiveMethod(), COMPLIANCE)
                .method(EntitlementServiceGrpc.getPreviewDirectiveImpactMethod(), COMPLIANCE)
                .method(EntitlementServiceGrpc.getListDirectiveTransitionsMethod(), read)
                .method(EntitlementServiceGrpc.getCheckMethod(), read)
                .method(EntitlementServiceGrpc.getGetPolicySnapshotMethod(), read)
                .method(EntitlementServiceGrpc.getWatchPolicyMethod(), MethodAccess.network())
                .method(EntitlementServiceGrpc.getAcknowledgePolicyMethod(), MethodAccess.network())
                .method(EntitlementServiceGrpc.getRecordDecisionCountsMethod(), MethodAccess.network())
                .method(EntitlementServiceGrpc.getGetPropagationStatusMethod(), read)
                .method(EntitlementServiceGrpc.getListEntitlementsMethod(), read)
                .method(EntitlementServiceGrpc.getLoadCountryGroupTableMethod(), COMPLIANCE)
                .method(EntitlementServiceGrpc.getGetCountryGroupTableMethod(), read)
                .method(EntitlementServiceGrpc.getListCountryGroupTablesMethod(), read)
                .build();
    }
}
