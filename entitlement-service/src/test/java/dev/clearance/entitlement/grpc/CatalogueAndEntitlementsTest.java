package dev.clearance.entitlement.grpc;

import com.google.protobuf.Timestamp;
import dev.clearance.entitlement.Catalogue;
import dev.clearance.entitlement.Grpc;
import dev.clearance.entitlement.v1.*;
import dev.clearance.testing.PostgresTestResource;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class CatalogueAndEntitlementsTest {

    @GrpcClient("entitlement")
    EntitlementServiceGrpc.EntitlementServiceBlockingStub client;

    private PolicySnapshot snapshot() {
        return client.getPolicySnapshot(GetPolicySnapshotRequest.getDefaultInstance()).getSnapshot();
    }

    @Test
    void familiesAreCreatedAndListedPageByPage() {
        String prefix = "fam" + Catalogue.unique();
        List<String> created = new ArrayList<>();
        for (String suffix : List.of("a", "b", "c")) {
            ModelFamily f = client.createModelFamily(CreateModelFamilyRequest.newBuilder()
                    .setFamilyId(prefix + suffix)
                    .setFamily(ModelFamily.newBuilder().setDisplayName("Family " + suffix).setControlled(suffix.equals("a")))
                    .build()).getFamily();
            assertEquals("families/" + prefix + suffix, f.getName());
            created.add(f.getName());
        }

        List<ModelFamily> listed = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListModelFamiliesResponse page = client.listModelFamilies(
                    ListModelFamiliesRequest.newBuilder().setPageSize(1).setPageToken(token).build());
            assertTrue(page.getFamiliesCount() <= 1);
            listed.addAll(page.getFamiliesList());
            token = page.getNextPageToken();
            pages++;
        } while (!token.isEmpty());
        List<String> mine = listed.stream().map(ModelFamily::getName).filter(n -> n.startsWith("families/" + prefix)).toList();
        assertEquals(created, mine);
        assertTrue(pages >= 3);
        ModelFamily a = listed.stream().filter(f -> f.getName().equals(created.get(0))).findFirst().orElseThrow();
        assertTrue(a.getControlled());
        assertEquals("Family a", a.getDisplayName());

        var e = Grpc.expect(Status.Code.ALREADY_EXISTS, () -> client.createModelFamily(CreateModelFamilyRequest.newBuilder()
                .setFamilyId(prefix + "a").build()));
        assertEquals("RESOURCE_ALREADY_EXISTS", Grpc.info(e).getReason());
    }

    @Test
    void versionsAreOrderedOldestFirstAndUniqueAcrossTheCatalogue() {
        String fam = "ver" + Catalogue.unique();
        Catalogue.family(client, fam, 2);
        ModelVersion explicit = client.createModelVersion(CreateModelVersionRequest.newBuilder()
                .setParent("families/" + fam)
                .setVersionId(fam + "-9.5")
                .setVersion(ModelVersion.newBuilder().setOrdinal(10).setStatus(ModelVersionStatus.MODEL_VERSION_STATUS_PREVIEW))
                .build()).getVersion();
        assertEquals("families/" + fam + "/versions/" + fam + "-9.5", explicit.getName());
        assertEquals(10, explicit.getOrdinal());
        ModelVersion appended = client.createModelVersion(CreateModelVersionRequest.newBuilder()
                .setParent("families/" + fam)
                .setVersionId(fam + "-11")
                .setVersion(ModelVersion.newBuilder().setStatus(ModelVersionStatus.MODEL_VERSION_STATUS_GA))
                .build()).getVersion();
        assertEquals(11, appended.getOrdinal(), "ordinal 0 appends as the newest");

        ListModelVersionsResponse first = client.listModelVersions(ListModelVersionsRequest.newBuilder()
                .setParent("families/" + fam).setPageSize(3).build());
        ListModelVersionsResponse second = client.listModelVersions(ListModelVersionsRequest.newBuilder()
                .setParent("families/" + fam).setPageSize(3).setPageToken(first.getNextPageToken()).build());
        List<String> names = new ArrayList<>();
        first.getVersionsList().forEach(v -> names.add(v.getName()));
        second.getVersionsList().forEach(v -> names.add(v.getName()));
        String base = "families/" + fam + "/versions/" + fam;
        assertEquals(List.of(base + "-1", base + "-2", base + "-9.5", base + "-11"), names);
        assertEquals("", second.getNextPageToken());

        // The same version id in another family is still a duplicate.
        String other = "oth" + Catalogue.unique();
        Catalogue.family(client, other, 0);
        Grpc.expect(Status.Code.ALREADY_EXISTS, () -> client.createModelVersion(CreateModelVersionRequest.newBuilder()
                .setParent("families/" + other).setVersionId(fam + "-1")
                .setVersion(ModelVersion.newBuilder().setStatus(ModelVersionStatus.MODEL_VERSION_STATUS_GA)).build()));
        Grpc.expect(Status.Code.NOT_FOUND, () -> client.listModelVersions(ListModelVersionsRequest.newBuilder()
                .setParent("families/nope" + Catalogue.unique()).build()));
    }

    @Test
    void aliasPointsAtAVersionAndReachesTheSnapshot() {
        String fam = "ali" + Catalogue.unique();
        Catalogue.family(client, fam, 2);
        ModelAlias alias = client.createModelAlias(CreateModelAliasRequest.newBuilder()
                .setAliasId(fam + "-latest")
                .setAlias(ModelAlias.newBuilder().setTargetVersion(fam + "-2"))
                .build()).getAlias();
        assertEquals("aliases/" + fam + "-latest", alias.getName());
        assertTrue(snapshot().getAliasesList().contains(alias));
        Grpc.expect(Status.Code.ALREADY_EXISTS, () -> client.createModelAlias(CreateModelAliasRequest.newBuilder()
                .setAliasId(fam + "-latest").setAlias(ModelAlias.newBuilder().setTargetVersion(fam + "-1")).build()));
    }

    @Test
    void tiersAreCreatedAndListedWithTheirPatterns() {
        String id = "tier" + Catalogue.unique();
        Tier created = client.createTier(CreateTierRequest.newBuilder()
                .setTierId(id)
                .setTier(Tier.newBuilder().setDisplayName("Pro").addModelPatterns("lyric-*").addModelPatterns("fable-4.5"))
                .build()).getTier();
        assertEquals("tiers/" + id, created.getName());
        assertEquals(List.of("lyric-*", "fable-4.5"), created.getModelPatternsList());

        List<Tier> all = new ArrayList<>();
        String token = "";
        do {
            ListTiersResponse page = client.listTiers(ListTiersRequest.newBuilder().setPageToken(token).setPageSize(2).build());
            all.addAll(page.getTiersList());
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        assertTrue(all.contains(created), all.toString());
        assertTrue(snapshot().getTiersList().contains(created));
    }

    @Test
    void programmesMembershipsAndSubscriptions() {
        String s = Catalogue.unique();
        Programme programme = client.createProgramme(CreateProgrammeRequest.newBuilder()
                .setProgrammeId("glasswing-" + s)
                .setProgramme(Programme.newBuilder().setDescription("vetted cyber").addModelPatterns("mythos-5"))
                .build()).getProgramme();
        assertEquals("programmes/glasswing-" + s, programme.getName());

        ProgrammeMembership m = client.createProgrammeMembership(CreateProgrammeMembershipRequest.newBuilder()
                .setParent(programme.getName())
                .setMembership(ProgrammeMembership.newBuilder().setMember("organisations/redwood-" + s))
                .build()).getMembership();
        assertTrue(m.getName().startsWith(programme.getName() + "/memberships/"), m.getName());
        Grpc.expect(Status.Code.ALREADY_EXISTS, () -> client.createProgrammeMembership(CreateProgrammeMembershipRequest.newBuilder()
                .setParent(programme.getName())
                .setMembership(ProgrammeMembership.newBuilder().setMember("organisations/redwood-" + s)).build()));

        client.createTier(CreateTierRequest.newBuilder().setTierId("ent-" + s)
                .setTier(Tier.newBuilder().addModelPatterns("fable-*")).build());
        Subscription sub = client.createSubscription(CreateSubscriptionRequest.newBuilder()
                .setSubscription(Subscription.newBuilder().setOrganisation("organisations/redwood-" + s).setTier("tiers/ent-" + s))
                .build()).getSubscription();
        assertTrue(sub.getName().startsWith("subscriptions/"));
        assertEquals("tiers/ent-" + s, sub.getTier());
        var dup = Grpc.expect(Status.Code.ALREADY_EXISTS, () -> client.createSubscription(CreateSubscriptionRequest.newBuilder()
                .setSubscription(Subscription.newBuilder().setOrganisation("organisations/redwood-" + s).setTier("tiers/ent-" + s))
                .build()));
        assertEquals(sub.getName(), Grpc.info(dup).getMetadataOrThrow("resource"));

        PolicySnapshot snap = snapshot();
        assertTrue(snap.getProgrammesList().contains(programme));
        assertTrue(snap.getProgrammeMembershipsList().contains(ProgrammeMembershipEntry.newBuilder()
                .setProgramme(programme.getName()).setMember("organisations/redwood-" + s).build()));
        assertTrue(snap.getSubscriptionsList().contains(sub));
    }

    @Test
    void grantsAndLicences() {
        String s = Catalogue.unique();
        Timestamp start = Timestamp.newBuilder().setSeconds(1780000000L).build();
        Timestamp end = Timestamp.newBuilder().setSeconds(1810000000L).build();
        Grant grant = client.createGrant(CreateGrantRequest.newBuilder().setGrant(Grant.newBuilder()
                .setGrantee("persons/dana-" + s).addModelPatterns("fable-5")
                .setStartTime(start).setEndTime(end).setReason("pilot")).build()).getGrant();
        assertTrue(grant.getName().startsWith("grants/"));
        assertEquals(start, grant.getStartTime());

        Licence licence = client.createLicence(CreateLicenceRequest.newBuilder().setLicence(Licence.newBuilder()
                .setKind(LicenceKind.LICENCE_KIND_LICENCE).setReference("D123456-" + s)
                .setHolder("organisations/meridian-" + s).addNamedPersons("persons/hiro-" + s)
                .addModelPatterns("fable-5").setStartTime(start).setEndTime(end)).build()).getLicence();
        assertTrue(licence.getName().startsWith("licences/"));
        assertEquals(List.of("persons/hiro-" + s), licence.getNamedPersonsList());

        PolicySnapshot snap = snapshot();
        assertTrue(snap.getGrantsList().contains(grant));
        assertTrue(snap.getLicencesList().contains(licence));
        assertFalse(snap.getLicencesList().isEmpty());
    }
}
