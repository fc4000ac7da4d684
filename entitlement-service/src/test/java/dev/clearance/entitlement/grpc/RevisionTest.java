package dev.clearance.entitlement.grpc;

import dev.clearance.entitlement.Catalogue;
import dev.clearance.entitlement.Grpc;
import dev.clearance.entitlement.StoredState;
import dev.clearance.entitlement.v1.*;
import dev.clearance.testing.PostgresTestResource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every write bumps the policy revision by exactly one, and the published snapshot follows before the call returns. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class RevisionTest {

    @GrpcClient("entitlement")
    EntitlementServiceGrpc.EntitlementServiceBlockingStub client;

    @Inject
    StoredState stored;

    @Test
    void everyWriteBumpsTheRevisionByOne() {
        String s = Catalogue.unique();
        String fam = "rev" + s;
        ModelVersion ga = ModelVersion.newBuilder().setStatus(ModelVersionStatus.MODEL_VERSION_STATUS_GA).build();
        Map<String, Runnable> writes = new LinkedHashMap<>();
        writes.put("CreateModelFamily", () -> client.createModelFamily(CreateModelFamilyRequest.newBuilder().setFamilyId(fam).build()));
        writes.put("CreateModelVersion", () -> client.createModelVersion(CreateModelVersionRequest.newBuilder()
                .setParent("families/" + fam).setVersionId(fam + "-1").setVersion(ga).build()));
        writes.put("CreateModelAlias", () -> client.createModelAlias(CreateModelAliasRequest.newBuilder()
                .setAliasId(fam + "-latest").setAlias(ModelAlias.newBuilder().setTargetVersion(fam + "-1")).build()));
        writes.put("CreateTier", () -> client.createTier(CreateTierRequest.newBuilder().setTierId("t-" + s)
                .setTier(Tier.newBuilder().addModelPatterns(fam + "-*")).build()));
        writes.put("CreateProgramme", () -> client.createProgramme(CreateProgrammeRequest.newBuilder().setProgrammeId("p-" + s).build()));
        writes.put("CreateProgrammeMembership", () -> client.createProgrammeMembership(CreateProgrammeMembershipRequest.newBuilder()
                .setParent("programmes/p-" + s).setMembership(ProgrammeMembership.newBuilder().setMember("persons/alice-" + s)).build()));
        writes.put("CreateSubscription", () -> client.createSubscription(CreateSubscriptionRequest.newBuilder()
                .setSubscription(Subscription.newBuilder().setOrganisation("organisations/o-" + s).setTier("tiers/t-" + s)).build()));
        writes.put("CreateGrant", () -> client.createGrant(CreateGrantRequest.newBuilder()
                .setGrant(Grant.newBuilder().setGrantee("programmes/p-" + s).addModelPatterns(fam + "-1")).build()));
        writes.put("CreateLicence", () -> client.createLicence(CreateLicenceRequest.newBuilder().setLicence(Licence.newBuilder()
                .setKind(LicenceKind.LICENCE_KIND_LICENCE_EXCEPTION).setReference("740.2").addNamedPersons("persons/hiro-" + s)
                .addModelPatterns(fam + "-1")).build()));
        writes.put("CreateDirective", () -> client.createDirective(CreateDirectiveRequest.newBuilder().setDirectiveId("d-" + s)
                .setDirective(Directive.newBuilder().setIssuer("risk team").setCitation("internal policy 7")
                        .addScope(FamilyScope.newBuilder().setFamily("families/" + fam))
                        .setSubjects(DirectiveSubjects.newBuilder().setKind(SubjectKind.SUBJECT_KIND_NON_CITIZENS))
                        .addCarveOuts(CarveOut.newBuilder().setProgramme("programmes/p-" + s))).build()));
        writes.put("ShadowDirective", () -> client.shadowDirective(ShadowDirectiveRequest.newBuilder().setName("directives/d-" + s).build()));
        writes.put("EnforceDirective", () -> client.enforceDirective(EnforceDirectiveRequest.newBuilder().setName("directives/d-" + s).build()));
        writes.put("ApproveDirective", () -> dev.clearance.entitlement.OperatorTokens.as(client, "dan", dev.clearance.testing.TestIssuer.COMPLIANCE).approveDirective(ApproveDirectiveRequest.newBuilder()
                .setName("directives/d-" + s).build()));
        writes.put("SuspendDirective", () -> client.suspendDirective(SuspendDirectiveRequest.newBuilder()
                .setName("directives/d-" + s).setReason("test").build()));
        writes.put("RevokeDirective", () -> client.revokeDirective(RevokeDirectiveRequest.newBuilder()
                .setName("directives/d-" + s).setReason("test").build()));

        for (var write : writes.entrySet()) {
            long before = stored.revision();
            write.getValue().run();
            long after = stored.revision();
            assertEquals(before + 1, after, write.getKey() + " bumps the revision by one");
            assertEquals(after, client.getPolicySnapshot(GetPolicySnapshotRequest.getDefaultInstance()).getSnapshot().getRevision(),
                    write.getKey() + ": the snapshot of the new revision is published before the call returns");
        }
    }
}
