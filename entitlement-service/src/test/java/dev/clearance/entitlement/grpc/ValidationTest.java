package dev.clearance.entitlement.grpc;

import com.google.protobuf.Timestamp;
import dev.clearance.entitlement.Catalogue;
import dev.clearance.entitlement.Grpc;
import dev.clearance.entitlement.StoredState;
import dev.clearance.entitlement.v1.*;
import dev.clearance.testing.PostgresTestResource;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Invalid input: INVALID_ARGUMENT with one field violation per problem, and nothing stored
 * (the policy revision does not move, the resource does not exist afterwards).
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class ValidationTest {

    @GrpcClient("entitlement")
    EntitlementServiceGrpc.EntitlementServiceBlockingStub client;

    @Inject
    StoredState stored;

    private void rejected(Executable call, String... fields) {
        long before = stored.revision();
        Grpc.expectViolations(call, fields);
        assertEquals(before, stored.revision(), "the revision must not move");
    }

    private static ModelVersion ga() {
        return ModelVersion.newBuilder().setStatus(ModelVersionStatus.MODEL_VERSION_STATUS_GA).build();
    }

    @Test
    void catalogue() {
        String fam = "val" + Catalogue.unique();
        Catalogue.family(client, fam, 1);

        rejected(() -> client.createModelFamily(CreateModelFamilyRequest.newBuilder().setFamilyId("Fable_X").build()),
                "family_id");
        rejected(() -> client.createModelVersion(CreateModelVersionRequest.newBuilder()
                        .setParent("fable").setVersionId("Fable 5").setVersion(ModelVersion.newBuilder().setOrdinal(-1)).build()),
                "parent", "version_id", "version.status", "version.ordinal");
        String missing = "families/missing" + Catalogue.unique();
        rejected(() -> client.createModelVersion(CreateModelVersionRequest.newBuilder()
                .setParent(missing).setVersionId(fam + "-new").setVersion(ga()).build()), "parent");
        rejected(() -> client.createModelVersion(CreateModelVersionRequest.newBuilder()
                .setParent("families/" + fam).setVersionId(fam + "-new")
                .setVersion(ga().toBuilder().setOrdinal(1)).build()), "version.ordinal");
        rejected(() -> client.createModelAlias(CreateModelAliasRequest.newBuilder()
                .setAliasId(fam + "-latest").setAlias(ModelAlias.newBuilder().setTargetVersion(fam + "-404")).build()),
                "alias.target_version");
        rejected(() -> client.createModelAlias(CreateModelAliasRequest.newBuilder()
                .setAliasId(fam + "-1").setAlias(ModelAlias.newBuilder().setTargetVersion(fam + "-1")).build()),
                "alias_id");

        // Nothing of the above exists now.
        var versions = client.listModelVersions(ListModelVersionsRequest.newBuilder().setParent("families/" + fam).build());
        assertEquals(1, versions.getVersionsCount());
        assertFalse(client.getPolicySnapshot(GetPolicySnapshotRequest.getDefaultInstance()).getSnapshot()
                .getAliasesList().stream().anyMatch(a -> a.getName().startsWith("aliases/" + fam)));
    }

    @Test
    void entitlements() {
        String s = Catalogue.unique();
        rejected(() -> client.createTier(CreateTierRequest.newBuilder().setTierId("t-" + s)
                        .setTier(Tier.newBuilder().addModelPatterns("lyric-*").addModelPatterns("BAD*")
                                .addModelPatterns("a**").addModelPatterns("lyric-*")).build()),
                "tier.model_patterns[1]", "tier.model_patterns[2]", "tier.model_patterns[3]");
        assertFalse(client.listTiers(ListTiersRequest.newBuilder().setPageSize(1000).build()).getTiersList().stream()
                .anyMatch(t -> t.getName().equals("tiers/t-" + s)));

        rejected(() -> client.createProgrammeMembership(CreateProgrammeMembershipRequest.newBuilder()
                .setParent("programmes/none-" + s)
                .setMembership(ProgrammeMembership.newBuilder().setMember("persons/alice")).build()), "parent");
        rejected(() -> client.createProgrammeMembership(CreateProgrammeMembershipRequest.newBuilder()
                .setParent("programmes/none-" + s)
                .setMembership(ProgrammeMembership.newBuilder().setMember("users/alice")).build()), "membership.member");
        rejected(() -> client.createSubscription(CreateSubscriptionRequest.newBuilder().setSubscription(Subscription.newBuilder()
                .setOrganisation("organisations/acme-" + s).setTier("tiers/none-" + s)).build()), "subscription.tier");
        rejected(() -> client.createSubscription(CreateSubscriptionRequest.newBuilder().setSubscription(Subscription.newBuilder()
                .setOrganisation("acme").setTier("pro")).build()), "subscription.organisation", "subscription.tier");

        Timestamp later = Timestamp.newBuilder().setSeconds(1800000000L).build();
        Timestamp earlier = Timestamp.newBuilder().setSeconds(1700000000L).build();
        rejected(() -> client.createGrant(CreateGrantRequest.newBuilder().setGrant(Grant.newBuilder()
                        .setGrantee("users/bob").setStartTime(later).setEndTime(earlier)).build()),
                "grant.grantee", "grant.model_patterns", "grant.end_time");
        rejected(() -> client.createGrant(CreateGrantRequest.newBuilder().setGrant(Grant.newBuilder()
                .setGrantee("programmes/none-" + s).addModelPatterns("fable-5")).build()), "grant.grantee");
        rejected(() -> client.createLicence(CreateLicenceRequest.newBuilder().setLicence(Licence.newBuilder()
                        .setHolder("meridian").addNamedPersons("persons/hiro").addNamedPersons("hiro")
                        .addModelPatterns("fable-5")).build()),
                "licence.kind", "licence.reference", "licence.holder", "licence.named_persons[1]");

        PolicySnapshot snap = client.getPolicySnapshot(GetPolicySnapshotRequest.getDefaultInstance()).getSnapshot();
        assertFalse(snap.getSubscriptionsList().stream().anyMatch(x -> x.getOrganisation().endsWith(s)));
        assertFalse(snap.getGrantsList().stream().anyMatch(g -> g.getGrantee().endsWith(s)));
    }

    @Test
    void directives() {
        String s = Catalogue.unique();
        String fam = "dv" + s;
        String other = "do" + s;
        Catalogue.family(client, fam, 2);
        Catalogue.family(client, other, 1);
        Directive.Builder valid = Directive.newBuilder()
                .setIssuer("BIS").setCitation("15 CFR 734.13")
                .addScope(FamilyScope.newBuilder().setFamily("families/" + fam).setFromVersion(fam + "-2"))
                .setSubjects(DirectiveSubjects.newBuilder().setKind(SubjectKind.SUBJECT_KIND_FOREIGN_PERSONS));

        rejected(() -> client.createDirective(CreateDirectiveRequest.newBuilder().setDirectiveId("BIS-ED")
                        .setDirective(Directive.newBuilder()).build()),
                "directive_id", "directive.issuer", "directive.citation", "directive.scope", "directive.subjects.kind");
        rejected(() -> client.createDirective(CreateDirectiveRequest.newBuilder().setDirectiveId("d1-" + s)
                        .setDirective(valid.clone()
                                .setEffectiveTime(Timestamp.newBuilder().setSeconds(1800000000L))
                                .setExpireTime(Timestamp.newBuilder().setSeconds(1700000000L))
                                .setSubjects(DirectiveSubjects.newBuilder().setKind(SubjectKind.SUBJECT_KIND_NATIONALS_OF)
                                        .addCountries("cn").addCountries("CHN").addCountries("IR").addCountries("QQ")
                                        .addCountryGroups("D:5").addCountryGroups("D:9"))
                                .addCarveOuts(CarveOut.newBuilder().setProgramme("glasswing"))
                                .addCarveOuts(CarveOut.newBuilder().setOrganisation("organisations/Bad_Org"))
                                .addCarveOuts(CarveOut.newBuilder()))
                        .build()),
                "directive.expire_time", "directive.subjects.countries[0]", "directive.subjects.countries[1]",
                "directive.subjects.countries[3]", "directive.subjects.country_groups[1]", "directive.carve_outs[0].programme",
                "directive.carve_outs[1].organisation", "directive.carve_outs[2]");
        // Checked against stored data: unknown family, a from_version of another family, a missing programme and licence.
        rejected(() -> client.createDirective(CreateDirectiveRequest.newBuilder().setDirectiveId("d2-" + s)
                        .setDirective(valid.clone()
                                .addScope(FamilyScope.newBuilder().setFamily("families/nope-" + s))
                                .addScope(FamilyScope.newBuilder().setFamily("families/" + other).setFromVersion(fam + "-1"))
                                .addCarveOuts(CarveOut.newBuilder().setProgramme("programmes/nope-" + s))
                                .addCarveOuts(CarveOut.newBuilder().setLicence("licences/nope-" + s)))
                        .build()),
                "directive.scope[1].family", "directive.scope[2].from_version", "directive.carve_outs[0].programme",
                "directive.carve_outs[1].licence");
        // Organisations are identity-service's: unreachable here (tests point it at a closed port), so the
        // carve-out cannot be confirmed and nothing is stored.
        long before = stored.revision();
        var unconfirmed = Grpc.expect(Status.Code.UNAVAILABLE, () -> client.createDirective(CreateDirectiveRequest.newBuilder()
                .setDirectiveId("d4-" + s).setDirective(valid.clone()
                        .addCarveOuts(CarveOut.newBuilder().setOrganisation("organisations/meridian-" + s))).build()));
        assertEquals("IDENTITY_UNAVAILABLE", Grpc.info(unconfirmed).getReason());
        assertEquals(before, stored.revision());
        rejected(() -> client.createDirective(CreateDirectiveRequest.newBuilder().setDirectiveId("d3-" + s)
                        .setDirective(valid.clone().setSubjects(DirectiveSubjects.newBuilder()
                                .setKind(SubjectKind.SUBJECT_KIND_FOREIGN_PERSONS).addCountries("CN")))
                        .build()),
                "directive.subjects");

        for (String id : new String[]{"d1-" + s, "d2-" + s, "d3-" + s, "d4-" + s}) {
            Grpc.expect(Status.Code.NOT_FOUND, () -> client.getDirective(GetDirectiveRequest.newBuilder()
                    .setName("directives/" + id).build()));
        }
        // The valid one is accepted: the failures above were about their fields, not the fixture.
        client.createDirective(CreateDirectiveRequest.newBuilder().setDirectiveId("ok-" + s).setDirective(valid).build());
    }

    @Test
    void impactPreviewChecksItsTargetAndNeedsIdentityService() {
        rejected(() -> client.previewDirectiveImpact(PreviewDirectiveImpactRequest.newBuilder().build()), "target");
        rejected(() -> client.previewDirectiveImpact(PreviewDirectiveImpactRequest.newBuilder()
                .setDirective(Directive.newBuilder().setIssuer("BIS")).build()),
                "directive.citation", "directive.scope", "directive.subjects.kind");
        Grpc.expect(Status.Code.NOT_FOUND, () -> client.previewDirectiveImpact(PreviewDirectiveImpactRequest.newBuilder()
                .setName("directives/never-" + Catalogue.unique()).build()));
        // The population lives in identity-service, unreachable in these tests.
        String s = Catalogue.unique();
        Catalogue.family(client, "pv" + s, 1);
        var e = Grpc.expect(Status.Code.UNAVAILABLE, () -> client.previewDirectiveImpact(PreviewDirectiveImpactRequest.newBuilder()
                .setDirective(Directive.newBuilder().setIssuer("BIS").setCitation("15 CFR 734.13")
                        .addScope(FamilyScope.newBuilder().setFamily("families/pv" + s))
                        .setSubjects(DirectiveSubjects.newBuilder().setKind(SubjectKind.SUBJECT_KIND_FOREIGN_PERSONS)))
                .build()));
        assertEquals("IDENTITY_UNAVAILABLE", Grpc.info(e).getReason());
    }

    @Test
    void listsAndNames() {
        rejected(() -> client.listTiers(ListTiersRequest.newBuilder().setPageSize(-1).setPageToken("garbage").build()),
                "page_size", "page_token");
        String s = Catalogue.unique();
        client.createTier(CreateTierRequest.newBuilder().setTierId("a-" + s).build());
        client.createTier(CreateTierRequest.newBuilder().setTierId("b-" + s).build());
        String tiersToken = client.listTiers(ListTiersRequest.newBuilder().setPageSize(1).build()).getNextPageToken();
        assertFalse(tiersToken.isEmpty());
        // A token belongs to the list that issued it.
        rejected(() -> client.listDirectives(ListDirectivesRequest.newBuilder().setPageToken(tiersToken).build()),
                "page_token");
        rejected(() -> client.getDirective(GetDirectiveRequest.newBuilder().setName("bis-ed").build()), "name");
        rejected(() -> client.enforceDirective(EnforceDirectiveRequest.newBuilder().setName("directives/").build()), "name");
    }
}
