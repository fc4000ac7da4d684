package dev.clearance.entitlement.grpc;

import dev.clearance.entitlement.OperatorTokens;
import com.google.protobuf.FieldMask;
import com.google.rpc.PreconditionFailure;
import dev.clearance.api.ApiError;
import dev.clearance.api.mapping.CallerMapping;
import dev.clearance.api.mapping.PolicyMapping;
import dev.clearance.common.v1.CallerIdentity;
import dev.clearance.common.v1.Change;
import dev.clearance.common.v1.UsPersonStatus;
import dev.clearance.entitlement.Catalogue;
import dev.clearance.entitlement.Grpc;
import dev.clearance.entitlement.StoredState;
import dev.clearance.entitlement.v1.*;
import dev.clearance.policy.AccessRequest;
import dev.clearance.policy.Evaluator;
import dev.clearance.policy.ReasonCode;
import dev.clearance.testing.PostgresTestResource;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Get, Update (mask + etag), Delete (references, etag) and the change log, through the gRPC API. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class AdminCrudTest {

    @GrpcClient("entitlement")
    EntitlementServiceGrpc.EntitlementServiceBlockingStub client;
    @Inject
    StoredState stored;

    /** The client with a token of {@code actor} (username and subject), admin and compliance roles. */
    private EntitlementServiceGrpc.EntitlementServiceBlockingStub as(String actor) {
        return OperatorTokens.as(client, actor, dev.clearance.testing.TestIssuer.ADMIN, dev.clearance.testing.TestIssuer.COMPLIANCE);
    }

    private static FieldMask mask(String... paths) {
        return FieldMask.newBuilder().addAllPaths(List.of(paths)).build();
    }

    private List<Change> changes(ListChangesRequest.Builder r) {
        return client.listChanges(r.build()).getChangesList();
    }

    @Test
    void updateAppliesOnlyMaskedFieldsBumpsTheEtagAndLogsBeforeAndAfter() {
        String fam = "crud" + Catalogue.unique();
        String actor = "ada-" + Catalogue.unique();
        ModelFamily created = as(actor).createModelFamily(CreateModelFamilyRequest.newBuilder().setFamilyId(fam)
                .setFamily(ModelFamily.newBuilder().setDisplayName("Old").setControlled(true)).setReason("launch").build()).getFamily();
        assertEquals(created, client.getModelFamily(GetModelFamilyRequest.newBuilder().setName("families/" + fam).build()).getFamily());

        long revision = stored.revision();
        ModelFamily updated = as(actor).updateModelFamily(UpdateModelFamilyRequest.newBuilder()
                .setFamily(ModelFamily.newBuilder().setName("families/" + fam).setDisplayName("New").setControlled(false)
                        .setEtag(created.getEtag()))
                .setUpdateMask(mask("display_name")).setReason("rename").build()).getFamily();
        assertEquals("New", updated.getDisplayName());
        assertTrue(updated.getControlled(), "controlled is not in the mask and keeps its value");
        assertNotEquals(created.getEtag(), updated.getEtag());
        assertEquals(revision + 1, stored.revision());
        assertEquals(updated, client.getModelFamily(GetModelFamilyRequest.newBuilder().setName("families/" + fam).build()).getFamily());

        List<Change> log = changes(ListChangesRequest.newBuilder().setActor(OperatorTokens.actor(actor)));
        assertEquals(2, log.size());
        Change update = log.get(0);
        assertEquals("UPDATE", update.getAction());
        assertEquals("families/" + fam, update.getResource());
        assertEquals("rename", update.getReason());
        assertEquals(revision + 1, update.getPolicyRevision());
        assertTrue(update.getBefore().contains("\"display_name\":\"Old\""), update.getBefore());
        assertTrue(update.getAfter().contains("\"display_name\":\"New\""), update.getAfter());
        Change create = log.get(1);
        assertEquals("CREATE", create.getAction());
        assertEquals("", create.getBefore());
        assertEquals("launch", create.getReason());
        assertTrue(create.getAfter().contains("\"name\":\"families/" + fam + "\""), create.getAfter());
    }

    @Test
    void staleEtagIsAbortedAndNothingIsWritten() {
        String fam = "etag" + Catalogue.unique();
        Catalogue.family(client, fam, 1);
        String name = "families/" + fam + "/versions/" + fam + "-1";
        ModelVersion v = client.getModelVersion(GetModelVersionRequest.newBuilder().setName(name).build()).getVersion();
        client.updateModelVersion(UpdateModelVersionRequest.newBuilder()
                .setVersion(v.toBuilder().setStatus(ModelVersionStatus.MODEL_VERSION_STATUS_DEPRECATED))
                .setUpdateMask(mask("status")).build());
        long revision = stored.revision();
        StatusRuntimeException e = Grpc.expect(Status.Code.ABORTED, () -> client.updateModelVersion(UpdateModelVersionRequest.newBuilder()
                .setVersion(v.toBuilder().setStatus(ModelVersionStatus.MODEL_VERSION_STATUS_PREVIEW))
                .setUpdateMask(mask("status")).build()));
        assertEquals("ETAG_MISMATCH", Grpc.info(e).getReason());
        Grpc.expect(Status.Code.ABORTED, () -> client.deleteModelVersion(DeleteModelVersionRequest.newBuilder()
                .setName(name).setEtag(v.getEtag()).build()));
        assertEquals(revision, stored.revision());
        ModelVersion now = client.getModelVersion(GetModelVersionRequest.newBuilder().setName(name).build()).getVersion();
        assertEquals(ModelVersionStatus.MODEL_VERSION_STATUS_DEPRECATED, now.getStatus());
    }

    @Test
    void ofTwoConcurrentUpdatesWithTheSameEtagOneWinsAndTheOtherIsAborted() throws Exception {
        String tier = "conc" + Catalogue.unique();
        Tier t = client.createTier(CreateTierRequest.newBuilder().setTierId(tier)
                .setTier(Tier.newBuilder().addModelPatterns("a-*")).build()).getTier();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (String pattern : List.of("b-*", "c-*")) {
                Callable<String> update = () -> {
                    start.await();
                    try {
                        client.updateTier(UpdateTierRequest.newBuilder()
                                .setTier(t.toBuilder().clearModelPatterns().addModelPatterns(pattern))
                                .setUpdateMask(mask("model_patterns")).build());
                        return pattern;
                    } catch (StatusRuntimeException e) {
                        return e.getStatus().getCode().name();
                    }
                };
                results.add(pool.submit(update));
            }
            start.countDown();
            List<String> outcomes = new ArrayList<>();
            for (Future<String> f : results) {
                outcomes.add(f.get(60, TimeUnit.SECONDS));
            }
            assertEquals(1, outcomes.stream().filter("ABORTED"::equals).count(), outcomes.toString());
            String winner = outcomes.stream().filter(o -> !o.equals("ABORTED")).findFirst().orElseThrow();
            Tier now = client.getTier(GetTierRequest.newBuilder().setName("tiers/" + tier).build()).getTier();
            assertEquals(List.of(winner), now.getModelPatternsList(), "the winner's patterns, whole, and nothing of the loser");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void deletingAReferencedVersionListsWhatRefersToIt() {
        String fam = "ref" + Catalogue.unique();
        Catalogue.family(client, fam, 2);
        String v1 = fam + "-1";
        String name = "families/" + fam + "/versions/" + v1;
        client.createModelAlias(CreateModelAliasRequest.newBuilder().setAliasId(fam + "-stable")
                .setAlias(ModelAlias.newBuilder().setTargetVersion(v1)).build());
        Grant g = client.createGrant(CreateGrantRequest.newBuilder().setGrant(Grant.newBuilder()
                .setGrantee("persons/p" + Catalogue.unique()).addModelPatterns(v1)).build()).getGrant();
        long revision = stored.revision();
        StatusRuntimeException e = Grpc.expect(Status.Code.FAILED_PRECONDITION,
                () -> client.deleteModelVersion(DeleteModelVersionRequest.newBuilder().setName(name).build()));
        assertEquals(List.of("aliases/" + fam + "-stable", g.getName()),
                ApiError.preconditionViolations(e).stream().map(PreconditionFailure.Violation::getSubject).toList());
        assertEquals("aliases/" + fam + "-stable," + g.getName(), Grpc.info(e).getMetadataOrThrow("referrers"));
        assertEquals(revision, stored.revision());
        // A family with versions is referred to by them.
        Grpc.expect(Status.Code.FAILED_PRECONDITION,
                () -> client.deleteModelFamily(DeleteModelFamilyRequest.newBuilder().setName("families/" + fam).build()));

        // Once nothing refers to it, it goes (with the current etag), and the log keeps what it was.
        client.deleteGrant(DeleteGrantRequest.newBuilder().setName(g.getName()).setEtag(g.getEtag()).build());
        client.deleteModelAlias(DeleteModelAliasRequest.newBuilder().setName("aliases/" + fam + "-stable").build());
        ModelVersion v = client.getModelVersion(GetModelVersionRequest.newBuilder().setName(name).build()).getVersion();
        client.deleteModelVersion(DeleteModelVersionRequest.newBuilder().setName(name).setEtag(v.getEtag())
                .setReason("retired").build());
        Grpc.expect(Status.Code.NOT_FOUND, () -> client.getModelVersion(GetModelVersionRequest.newBuilder().setName(name).build()));
        Grpc.expect(Status.Code.NOT_FOUND, () -> client.getGrant(GetGrantRequest.newBuilder().setName(g.getName()).build()));
        Change deleted = changes(ListChangesRequest.newBuilder().setResource(name)).get(0);
        assertEquals("DELETE", deleted.getAction());
        assertEquals("retired", deleted.getReason());
        assertEquals("", deleted.getAfter());
        assertTrue(deleted.getBefore().contains("\"name\":\"" + name + "\""), deleted.getBefore());
    }

    @Test
    void invalidWritesRecordNoChange() {
        String fam = "inv" + Catalogue.unique();
        String actor = "mallory-" + Catalogue.unique();
        Catalogue.family(client, fam, 1);
        String name = "families/" + fam + "/versions/" + fam + "-1";
        ModelVersion v = client.getModelVersion(GetModelVersionRequest.newBuilder().setName(name).build()).getVersion();
        long revision = stored.revision();
        // Shape: no mask, a path that cannot change.
        Grpc.expectViolations(() -> as(actor).updateModelVersion(UpdateModelVersionRequest.newBuilder().setVersion(v).build()),
                "update_mask");
        Grpc.expectViolations(() -> as(actor).updateModelVersion(UpdateModelVersionRequest.newBuilder().setVersion(v)
                .setUpdateMask(mask("name")).build()), "update_mask.paths[0]");
        // Content, found only inside the write transaction: an unspecified status.
        Grpc.expectViolations(() -> as(actor).updateModelVersion(UpdateModelVersionRequest.newBuilder()
                .setVersion(v.toBuilder().setStatus(ModelVersionStatus.MODEL_VERSION_STATUS_UNSPECIFIED))
                .setUpdateMask(mask("status")).build()), "version.status");
        Grpc.expectViolations(() -> as(actor).createTier(CreateTierRequest.newBuilder().setTierId("Bad Id").build()), "tier_id");
        Grpc.expectViolations(() -> as(actor).createTier(CreateTierRequest.newBuilder().setTierId("t" + Catalogue.unique())
                .setTier(Tier.newBuilder().addModelPatterns("NOT A PATTERN")).build()), "tier.model_patterns[0]");
        assertEquals(revision, stored.revision());
        assertEquals(List.of(), changes(ListChangesRequest.newBuilder().setActor(OperatorTokens.actor(actor))));
        assertEquals(ModelVersionStatus.MODEL_VERSION_STATUS_GA,
                client.getModelVersion(GetModelVersionRequest.newBuilder().setName(name).build()).getVersion().getStatus());
    }

    @Test
    void changesFilterByActorResourcePrefixAndTimeAndPageNewestFirst() {
        String u = Catalogue.unique();
        String actor = "grace-" + u;
        Instant before = Instant.now().minusSeconds(1);
        List<String> tiers = List.of("pg" + u + "-a", "pg" + u + "-b", "pg" + u + "-c");
        for (String t : tiers) {
            as(actor).createTier(CreateTierRequest.newBuilder().setTierId(t).build());
        }
        as("someone-else-" + u).createProgramme(CreateProgrammeRequest.newBuilder().setProgrammeId("pg" + u).build());

        List<String> pagedResources = new ArrayList<>();
        String token = "";
        do {
            // A time filter too: the page token carries every filter.
            ListChangesResponse page = client.listChanges(ListChangesRequest.newBuilder().setActor(OperatorTokens.actor(actor))
                    .setStartTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(before.getEpochSecond()))
                    .setPageSize(2).setPageToken(token).build());
            assertTrue(page.getChangesCount() <= 2);
            page.getChangesList().forEach(c -> pagedResources.add(c.getResource()));
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        assertEquals(List.of("tiers/" + tiers.get(2), "tiers/" + tiers.get(1), "tiers/" + tiers.get(0)), pagedResources);

        assertEquals(List.of("tiers/" + tiers.get(1)), changes(ListChangesRequest.newBuilder()
                .setResource("tiers/" + tiers.get(1))).stream().map(Change::getResource).toList());
        assertEquals(3, changes(ListChangesRequest.newBuilder().setResource("tiers/pg" + u + "-*")).size());
        assertEquals(List.of("programmes/pg" + u), changes(ListChangesRequest.newBuilder()
                .setResource("programmes/pg" + u + "*")).stream().map(Change::getResource).toList());
        var start = com.google.protobuf.Timestamp.newBuilder().setSeconds(before.getEpochSecond()).build();
        assertEquals(3, changes(ListChangesRequest.newBuilder().setActor(OperatorTokens.actor(actor)).setStartTime(start)).size());
        assertEquals(0, changes(ListChangesRequest.newBuilder().setActor(OperatorTokens.actor(actor)).setEndTime(start)).size());
        Grpc.expectViolations(() -> client.listChanges(ListChangesRequest.newBuilder().setStartTime(start).setEndTime(start).build()),
                "end_time");
        Grpc.expectViolations(() -> client.listChanges(ListChangesRequest.newBuilder().setActor(OperatorTokens.actor(actor)).setPageToken(
                client.listChanges(ListChangesRequest.newBuilder().setActor(OperatorTokens.actor(actor)).setPageSize(1).build()).getNextPageToken())
                .setActor("other").build()), "page_token");
    }

    @Test
    void entitlementsAreReadUpdatedListedAndDeleted() {
        String u = Catalogue.unique();
        client.createTier(CreateTierRequest.newBuilder().setTierId("gold" + u).setTier(Tier.newBuilder().addModelPatterns("a-*")).build());
        client.createTier(CreateTierRequest.newBuilder().setTierId("plat" + u).build());
        Subscription s = client.createSubscription(CreateSubscriptionRequest.newBuilder().setSubscription(Subscription.newBuilder()
                .setOrganisation("organisations/o" + u).setTier("tiers/gold" + u)).build()).getSubscription();
        Grpc.expect(Status.Code.FAILED_PRECONDITION,
                () -> client.deleteTier(DeleteTierRequest.newBuilder().setName("tiers/gold" + u).build()));
        Subscription moved = client.updateSubscription(UpdateSubscriptionRequest.newBuilder()
                .setSubscription(s.toBuilder().setTier("tiers/plat" + u)).setUpdateMask(mask("tier")).build()).getSubscription();
        assertEquals("tiers/plat" + u, moved.getTier());
        Grpc.expectViolations(() -> client.updateSubscription(UpdateSubscriptionRequest.newBuilder()
                .setSubscription(moved.toBuilder().setTier("tiers/none" + u)).setUpdateMask(mask("tier")).build()), "subscription.tier");
        client.deleteTier(DeleteTierRequest.newBuilder().setName("tiers/gold" + u).build());

        Programme p = client.createProgramme(CreateProgrammeRequest.newBuilder().setProgrammeId("cyber" + u).build()).getProgramme();
        ProgrammeMembership m = client.createProgrammeMembership(CreateProgrammeMembershipRequest.newBuilder()
                .setParent(p.getName()).setMembership(ProgrammeMembership.newBuilder().setMember("persons/p" + u)).build()).getMembership();
        assertEquals(List.of(m), client.listProgrammeMemberships(ListProgrammeMembershipsRequest.newBuilder()
                .setParent(p.getName()).build()).getMembershipsList());
        StatusRuntimeException e = Grpc.expect(Status.Code.FAILED_PRECONDITION,
                () -> client.deleteProgramme(DeleteProgrammeRequest.newBuilder().setName(p.getName()).build()));
        assertEquals(m.getName(), Grpc.info(e).getMetadataOrThrow("referrers"));
        Programme updated = client.updateProgramme(UpdateProgrammeRequest.newBuilder()
                .setProgramme(p.toBuilder().addModelPatterns("lyric-*").addModelPatterns("fable-5"))
                .setUpdateMask(mask("model_patterns")).build()).getProgramme();
        assertEquals(List.of("lyric-*", "fable-5"), updated.getModelPatternsList());
        client.deleteProgrammeMembership(DeleteProgrammeMembershipRequest.newBuilder().setName(m.getName()).build());
        client.deleteProgramme(DeleteProgrammeRequest.newBuilder().setName(p.getName()).setEtag(updated.getEtag()).build());

        Licence l = client.createLicence(CreateLicenceRequest.newBuilder().setLicence(Licence.newBuilder()
                .setKind(LicenceKind.LICENCE_KIND_LICENCE).setReference("D" + u).addNamedPersons("persons/a" + u)
                .addModelPatterns("fable-*")).build()).getLicence();
        Licence renewed = client.updateLicence(UpdateLicenceRequest.newBuilder().setLicence(l.toBuilder()
                        .clearNamedPersons().addNamedPersons("persons/b" + u).addNamedPersons("persons/c" + u)
                        .setEndTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(4_000_000_000L)))
                .setUpdateMask(mask("named_persons", "end_time")).build()).getLicence();
        assertEquals(List.of("persons/b" + u, "persons/c" + u), renewed.getNamedPersonsList());
        assertEquals(4_000_000_000L, renewed.getEndTime().getSeconds());
        assertEquals(renewed, client.getLicence(GetLicenceRequest.newBuilder().setName(l.getName()).build()).getLicence());
        assertTrue(client.listLicences(ListLicencesRequest.newBuilder().setPageSize(1000).build()).getLicencesList().contains(renewed));
        Grpc.expectViolations(() -> client.updateLicence(UpdateLicenceRequest.newBuilder()
                .setLicence(renewed.toBuilder().clearNamedPersons()).setUpdateMask(mask("named_persons")).build()),
                "licence.named_persons");

        Grant g = client.createGrant(CreateGrantRequest.newBuilder().setGrant(Grant.newBuilder()
                .setGrantee("organisations/o" + u).addModelPatterns("lyric-*")).build()).getGrant();
        Grant limited = client.updateGrant(UpdateGrantRequest.newBuilder().setGrant(g.toBuilder()
                .setStartTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(1_000))
                .setGrantee("organisations/ignored")).setUpdateMask(mask("start_time")).build()).getGrant();
        assertEquals(1_000, limited.getStartTime().getSeconds());
        assertEquals("organisations/o" + u, limited.getGrantee());
        assertTrue(client.listGrants(ListGrantsRequest.newBuilder().setPageSize(1000).build()).getGrantsList().contains(limited));
    }

    @Test
    void disablingAVersionIsTheKillSwitchTheEvaluatorHonours() {
        String fam = "kill" + Catalogue.unique();
        Catalogue.family(client, fam, 2);
        client.createTier(CreateTierRequest.newBuilder().setTierId(fam).setTier(Tier.newBuilder().addModelPatterns(fam + "-*")).build());
        String name = "families/" + fam + "/versions/" + fam + "-2";
        ModelVersion v = client.getModelVersion(GetModelVersionRequest.newBuilder().setName(name).build()).getVersion();
        client.updateModelVersion(UpdateModelVersionRequest.newBuilder()
                .setVersion(v.toBuilder().setStatus(ModelVersionStatus.MODEL_VERSION_STATUS_DISABLED))
                .setUpdateMask(mask("status")).setReason("incident 42").build());

        PolicySnapshot snapshot = client.getPolicySnapshot(GetPolicySnapshotRequest.getDefaultInstance()).getSnapshot();
        var compiled = dev.clearance.policy.PolicySnapshot.compile(PolicyMapping.toInputs(snapshot));
        CallerIdentity citizen = CallerIdentity.newBuilder().setSubject("persons/k" + fam).setPerson("persons/k" + fam)
                .setUsPersonStatus(UsPersonStatus.US_PERSON_STATUS_US_CITIZEN).build();
        var decision = Evaluator.decide(compiled, CallerMapping.toCaller(citizen),
                new AccessRequest(fam + "-2", true, Instant.now(), null, false));
        assertTrue(decision.reasons().stream().anyMatch(r -> r.code() == ReasonCode.MODEL_DISABLED), decision.toString());
    }

    @Test
    void directiveWritesAreLoggedAndAVersionADirectiveNamesCannotBeDeleted() {
        String fam = "dir" + Catalogue.unique();
        Catalogue.family(client, fam, 3);
        String actor = "carol-" + fam;
        Directive d = as(actor).createDirective(CreateDirectiveRequest.newBuilder().setDirectiveId(fam)
                .setDirective(Directive.newBuilder()
                        .setIssuer("BIS").setCitation("15 CFR 734.13")
                        .setReceiveTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(1781299260L))
                        .addScope(FamilyScope.newBuilder().setFamily("families/" + fam).setFromVersion(fam + "-2"))
                        .setSubjects(DirectiveSubjects.newBuilder().setKind(SubjectKind.SUBJECT_KIND_FOREIGN_PERSONS)))
                .build()).getDirective();
        as(actor).shadowDirective(ShadowDirectiveRequest.newBuilder().setName(d.getName()).setReason("watch first").build());
        as(actor).revokeDirective(RevokeDirectiveRequest.newBuilder().setName(d.getName()).setReason("withdrawn").build());

        List<Change> log = changes(ListChangesRequest.newBuilder().setActor(OperatorTokens.actor(actor)));
        assertEquals(List.of("REVOKED", "SHADOW", "CREATE"), log.stream().map(Change::getAction).toList());
        assertTrue(log.stream().allMatch(c -> c.getResource().equals(d.getName())));
        assertEquals("withdrawn", log.get(0).getReason());
        assertTrue(log.get(0).getBefore().contains("\"state\":\"DIRECTIVE_STATE_SHADOW\""), log.get(0).getBefore());
        assertTrue(log.get(0).getAfter().contains("\"state\":\"DIRECTIVE_STATE_REVOKED\""), log.get(0).getAfter());

        StatusRuntimeException e = Grpc.expect(Status.Code.FAILED_PRECONDITION, () -> client.deleteModelVersion(
                DeleteModelVersionRequest.newBuilder().setName("families/" + fam + "/versions/" + fam + "-2").build()));
        assertEquals(d.getName(), Grpc.info(e).getMetadataOrThrow("referrers"));
    }
}
