package dev.clearance.entitlement.grpc;

import dev.clearance.entitlement.OperatorTokens;
import com.google.protobuf.Timestamp;
import dev.clearance.entitlement.Catalogue;
import dev.clearance.entitlement.Grpc;
import dev.clearance.entitlement.StoredState;
import dev.clearance.entitlement.domain.DirectiveState;
import dev.clearance.entitlement.domain.DirectiveTransitionEntity;
import dev.clearance.common.v1.Change;
import dev.clearance.entitlement.v1.*;
import dev.clearance.testing.PostgresTestResource;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class DirectiveLifecycleTest {

    @GrpcClient("entitlement")
    EntitlementServiceGrpc.EntitlementServiceBlockingStub client;

    @Inject
    StoredState stored;

    /** The client with a compliance officer's token ({@code officer} is username and subject). */
    private EntitlementServiceGrpc.EntitlementServiceBlockingStub as(String officer) {
        return OperatorTokens.as(client, officer, dev.clearance.testing.TestIssuer.COMPLIANCE);
    }

    /** The same officer (subject) under another username, as after a rename in Keycloak. */
    private EntitlementServiceGrpc.EntitlementServiceBlockingStub renamed(String subject, String username) {
        io.grpc.Metadata headers = new io.grpc.Metadata();
        headers.put(io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER), "Bearer "
                + OperatorTokens.KEYS.token(subject, username, dev.clearance.testing.TestIssuer.COMPLIANCE));
        return client.withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private static String actor(String officer) {
        return OperatorTokens.actor(officer);
    }

    private PolicySnapshot snapshot() {
        return client.getPolicySnapshot(GetPolicySnapshotRequest.getDefaultInstance()).getSnapshot();
    }

    private Directive scenarioDirective(String fam) {
        return Directive.newBuilder()
                .setIssuer("U.S. Department of Commerce, Bureau of Industry and Security")
                .setReference("letter of 2026-06-12")
                .setCitation("15 CFR 734.13, 734.14 (deemed export and reexport); letter of 2026-06-12")
                .setReceiveTime(Timestamp.newBuilder().setSeconds(1781299260L))
                .setEffectiveTime(Timestamp.newBuilder().setSeconds(1781299260L))
                .addScope(FamilyScope.newBuilder().setFamily("families/" + fam).setFromVersion(fam + "-3"))
                .setSubjects(DirectiveSubjects.newBuilder().setKind(SubjectKind.SUBJECT_KIND_FOREIGN_PERSONS))
                .setMinimumAssurance(dev.clearance.common.v1.AssuranceLevel.ASSURANCE_LEVEL_IAL2)
                .addCarveOuts(CarveOut.newBuilder().setLicensedPersons(true))
                .build();
    }

    private Directive get(String name) {
        return client.getDirective(GetDirectiveRequest.newBuilder().setName(name).build()).getDirective();
    }

    private boolean inSnapshot(String name) {
        return snapshot().getDirectivesList().stream().anyMatch(d -> d.getName().equals(name));
    }

    @Test
    void twoPersonEnforcementSuspensionAndRevocationWithAuditTrail() {
        String fam = "dl" + Catalogue.unique();
        Catalogue.family(client, fam, 3);
        String id = "bis-ed-" + fam;
        String name = "directives/" + id;

        Directive draft = as("carol@compliance").createDirective(CreateDirectiveRequest.newBuilder()
                .setDirectiveId(id).setDirective(scenarioDirective(fam)).build()).getDirective();
        assertEquals(name, draft.getName());
        assertEquals(dev.clearance.entitlement.v1.DirectiveState.DIRECTIVE_STATE_DRAFT, draft.getState());
        assertTrue(draft.hasCreateTime());
        assertEquals("2026-07-23", draft.getCountryGroupsIssueDate(), "the table it was checked against");
        assertEquals(scenarioDirective(fam).getScopeList(), draft.getScopeList());
        assertEquals(draft, get(name));
        assertFalse(inSnapshot(name), "drafts never reach the snapshot");

        // Officer A asks: the directive stays a draft, with the request on it.
        long before = stored.revision();
        EnforceDirectiveResponse requested = as("carol@compliance").enforceDirective(EnforceDirectiveRequest.newBuilder()
                .setName(name).setReason("BIS letter received 17:21 ET").build());
        assertEquals(dev.clearance.entitlement.v1.DirectiveState.DIRECTIVE_STATE_DRAFT, requested.getDirective().getState());
        assertEquals(actor("carol@compliance"), requested.getDirective().getPendingEnforcement().getRequester());
        assertEquals("BIS letter received 17:21 ET", requested.getDirective().getPendingEnforcement().getReason());
        assertEquals(before + 1, requested.getPolicyRevision());
        assertFalse(inSnapshot(name), "a pending enforcement has no effect");
        assertTrue(get(name).hasPendingEnforcement());

        // Asking twice, or approving one's own request (also under another username): refused, nothing changes.
        long pending = stored.revision();
        var twice = Grpc.expect(Status.Code.FAILED_PRECONDITION, () -> as("carol@compliance").enforceDirective(
                EnforceDirectiveRequest.newBuilder().setName(name).setReason("again").build()));
        assertEquals(actor("carol@compliance"), Grpc.info(twice).getMetadataOrThrow("requester"));
        var self = Grpc.expect(Status.Code.FAILED_PRECONDITION, () -> as("carol@compliance").approveDirective(
                ApproveDirectiveRequest.newBuilder().setName(name).build()));
        assertEquals("FAILED_PRECONDITION", Grpc.info(self).getReason());
        assertEquals(actor("carol@compliance"), Grpc.info(self).getMetadataOrThrow("approver"));
        var sameSubject = Grpc.expect(Status.Code.FAILED_PRECONDITION, () -> renamed("carol@compliance", "carol-renamed")
                .approveDirective(ApproveDirectiveRequest.newBuilder().setName(name).build()));
        assertEquals("carol-renamed (carol@compliance)", Grpc.info(sameSubject).getMetadataOrThrow("approver"));
        assertEquals(pending, stored.revision());
        assertEquals(dev.clearance.entitlement.v1.DirectiveState.DIRECTIVE_STATE_DRAFT, get(name).getState());

        // Officer B approves: enforced, in the snapshot.
        ApproveDirectiveResponse approved = as("dan@compliance").approveDirective(ApproveDirectiveRequest.newBuilder()
                .setName(name).setReason("checked against the letter").build());
        assertEquals(dev.clearance.entitlement.v1.DirectiveState.DIRECTIVE_STATE_ENFORCED, approved.getDirective().getState());
        assertFalse(approved.getDirective().hasPendingEnforcement());
        assertFalse(approved.getDirective().hasEmergency());
        PolicySnapshot withDirective = snapshot();
        assertTrue(withDirective.getRevision() >= approved.getPolicyRevision());
        Directive inSnapshot = withDirective.getDirectivesList().stream().filter(d -> d.getName().equals(name))
                .findFirst().orElseThrow();
        assertEquals(dev.clearance.entitlement.v1.DirectiveState.DIRECTIVE_STATE_ENFORCED, inSnapshot.getState());
        Grpc.expect(Status.Code.FAILED_PRECONDITION, () -> as("erin@compliance").approveDirective(
                ApproveDirectiveRequest.newBuilder().setName(name).build()));

        // Suspend and revoke need a reason.
        Grpc.expectViolations(() -> as("dan@compliance").suspendDirective(SuspendDirectiveRequest.newBuilder()
                .setName(name).build()), "reason");
        SuspendDirectiveResponse suspended = as("dan@compliance").suspendDirective(SuspendDirectiveRequest.newBuilder()
                .setName(name).setReason("BIS asked to hold").build());
        assertEquals(dev.clearance.entitlement.v1.DirectiveState.DIRECTIVE_STATE_SUSPENDED, suspended.getDirective().getState());
        assertFalse(inSnapshot(name), "a suspended directive has no effect");

        // Re-enforcing a suspended directive takes two officers again.
        as("dan@compliance").enforceDirective(EnforceDirectiveRequest.newBuilder().setName(name).setReason("hold lifted").build());
        assertEquals(dev.clearance.entitlement.v1.DirectiveState.DIRECTIVE_STATE_SUSPENDED, get(name).getState());
        as("carol@compliance").approveDirective(ApproveDirectiveRequest.newBuilder().setName(name).setReason("ok").build());
        assertTrue(inSnapshot(name));

        Grpc.expectViolations(() -> client.revokeDirective(RevokeDirectiveRequest.newBuilder().setName(name).build()), "reason");
        RevokeDirectiveResponse revoked = client.revokeDirective(RevokeDirectiveRequest.newBuilder()
                .setName(name).setReason("letter withdrawn").build());
        assertEquals(dev.clearance.entitlement.v1.DirectiveState.DIRECTIVE_STATE_REVOKED, revoked.getDirective().getState());
        assertFalse(inSnapshot(name));

        List<DirectiveTransition> steps = client.listDirectiveTransitions(ListDirectiveTransitionsRequest.newBuilder()
                .setName(name).build()).getTransitionsList();
        assertEquals(List.of(DirectiveAction.DIRECTIVE_ACTION_CREATE, DirectiveAction.DIRECTIVE_ACTION_REQUEST_ENFORCEMENT,
                DirectiveAction.DIRECTIVE_ACTION_APPROVE_ENFORCEMENT, DirectiveAction.DIRECTIVE_ACTION_SUSPEND,
                DirectiveAction.DIRECTIVE_ACTION_REQUEST_ENFORCEMENT, DirectiveAction.DIRECTIVE_ACTION_APPROVE_ENFORCEMENT,
                DirectiveAction.DIRECTIVE_ACTION_REVOKE), steps.stream().map(DirectiveTransition::getAction).toList());
        assertEquals(List.of(actor("carol@compliance"), actor("carol@compliance"), actor("dan@compliance"),
                actor("dan@compliance"), actor("dan@compliance"), actor("carol@compliance"),
                actor(OperatorTokens.DEFAULT_OPERATOR)), steps.stream().map(DirectiveTransition::getActor).toList());
        assertEquals(List.of("", "BIS letter received 17:21 ET", "checked against the letter", "BIS asked to hold",
                "hold lifted", "ok", "letter withdrawn"), steps.stream().map(DirectiveTransition::getReason).toList());
        assertEquals(dev.clearance.entitlement.v1.DirectiveState.DIRECTIVE_STATE_DRAFT, steps.get(1).getToState(),
                "a request does not change the state");
        assertEquals(dev.clearance.entitlement.v1.DirectiveState.DIRECTIVE_STATE_ENFORCED, steps.get(2).getToState());
        assertEquals(approved.getPolicyRevision(), steps.get(2).getPolicyRevision());
        assertTrue(steps.stream().allMatch(DirectiveTransition::hasTransitionTime));

        List<DirectiveTransitionEntity> history = stored.transitions(id);
        assertEquals(7, history.size());
        assertNull(history.get(0).fromState);
        assertEquals(DirectiveState.DRAFT, history.get(0).toState);
        assertEquals(DirectiveState.SUSPENDED, history.get(3).toState);
        assertEquals(DirectiveState.REVOKED, history.get(6).toState);
        Grpc.expect(Status.Code.NOT_FOUND, () -> client.listDirectiveTransitions(ListDirectiveTransitionsRequest.newBuilder()
                .setName("directives/never-" + fam).build()));

        // The change log has every step too, each with its actor and reason; the refused ones left no row.
        List<Change> log = client.listChanges(ListChangesRequest.newBuilder().setResource(name).build()).getChangesList();
        assertEquals(List.of("REVOKED", "ENFORCED", "REQUEST_ENFORCEMENT", "SUSPENDED", "ENFORCED", "REQUEST_ENFORCEMENT",
                "CREATE"), log.stream().map(Change::getAction).toList());
        assertEquals(List.of(actor(OperatorTokens.DEFAULT_OPERATOR), actor("carol@compliance"), actor("dan@compliance"),
                actor("dan@compliance"), actor("dan@compliance"), actor("carol@compliance"), actor("carol@compliance")),
                log.stream().map(Change::getActor).toList());
        assertEquals("checked against the letter", log.get(4).getReason());
        assertTrue(log.get(4).getBefore().contains("\"pending_enforcement\""), log.get(4).getBefore());
        assertTrue(log.get(4).getAfter().contains("DIRECTIVE_STATE_ENFORCED"), log.get(4).getAfter());
    }

    @Test
    void emergencyEnforcementIsImmediateFlaggedAndOverdueUntilASecondOfficerConfirms() throws Exception {
        String fam = "de" + Catalogue.unique();
        Catalogue.family(client, fam, 3);
        String name = "directives/em-" + fam;
        client.createDirective(CreateDirectiveRequest.newBuilder().setDirectiveId("em-" + fam)
                .setDirective(scenarioDirective(fam)).build());

        long before = stored.revision();
        Grpc.expectViolations(() -> as("carol").enforceDirective(EnforceDirectiveRequest.newBuilder()
                .setName(name).setEmergency(true).build()), "reason");
        assertTrue(client.listChanges(ListChangesRequest.newBuilder().setResource(name).build()).getChangesList().stream()
                .allMatch(c -> c.getAction().equals("CREATE")), "a refused step leaves no change-log row");
        assertEquals(before, stored.revision());

        Directive enforced = as("carol").enforceDirective(EnforceDirectiveRequest.newBuilder()
                .setName(name).setEmergency(true).setReason("letter at 17:21, in force by midnight").build()).getDirective();
        assertEquals(dev.clearance.entitlement.v1.DirectiveState.DIRECTIVE_STATE_ENFORCED, enforced.getState());
        assertTrue(inSnapshot(name), "in force at once");
        EmergencyEnforcement em = enforced.getEmergency();
        assertEquals(actor("carol"), em.getEnforcer());
        assertEquals("", em.getConfirmer());
        assertFalse(em.getOverdue(), "not overdue when enforced");
        // The test profile's window is 3 s.
        assertEquals(em.getEnforceTime().getSeconds() + 3, em.getConfirmDeadline().getSeconds());

        // Past the window it shows as overdue, on the directive and in the filtered list.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (!get(name).getEmergency().getOverdue()) {
            assertTrue(System.nanoTime() < deadline, "never became overdue");
            Thread.sleep(200);
        }
        assertTrue(overdueNames().contains(name));
        var page = client.listDirectives(ListDirectivesRequest.newBuilder().setEmergencyOverdueOnly(true).build());
        assertTrue(page.getDirectivesList().stream().allMatch(d -> d.getEmergency().getOverdue()));

        Grpc.expect(Status.Code.FAILED_PRECONDITION, () -> as("carol").approveDirective(ApproveDirectiveRequest.newBuilder()
                .setName(name).build()));
        Directive confirmed = as("dan").approveDirective(ApproveDirectiveRequest.newBuilder()
                .setName(name).setReason("confirmed").build()).getDirective();
        assertEquals(dev.clearance.entitlement.v1.DirectiveState.DIRECTIVE_STATE_ENFORCED, confirmed.getState());
        assertEquals(actor("dan"), confirmed.getEmergency().getConfirmer());
        assertTrue(confirmed.getEmergency().hasConfirmTime());
        assertFalse(confirmed.getEmergency().getOverdue());
        assertFalse(overdueNames().contains(name));
        List<DirectiveTransition> steps = client.listDirectiveTransitions(ListDirectiveTransitionsRequest.newBuilder()
                .setName(name).build()).getTransitionsList();
        assertEquals(List.of(DirectiveAction.DIRECTIVE_ACTION_CREATE, DirectiveAction.DIRECTIVE_ACTION_EMERGENCY_ENFORCE,
                DirectiveAction.DIRECTIVE_ACTION_CONFIRM_EMERGENCY), steps.stream().map(DirectiveTransition::getAction).toList());
        Grpc.expect(Status.Code.FAILED_PRECONDITION, () -> as("erin").approveDirective(ApproveDirectiveRequest.newBuilder()
                .setName(name).build()));
        List<Change> log = client.listChanges(ListChangesRequest.newBuilder().setResource(name).build()).getChangesList();
        assertEquals(List.of("CONFIRM_EMERGENCY", "ENFORCED", "CREATE"), log.stream().map(Change::getAction).toList());
        assertEquals(actor("dan"), log.get(0).getActor());
        assertEquals("confirmed", log.get(0).getReason());
        assertTrue(log.get(1).getAfter().contains("\"emergency\""), log.get(1).getAfter());
    }

    private List<String> overdueNames() {
        return client.listDirectives(ListDirectivesRequest.newBuilder().setEmergencyOverdueOnly(true).setPageSize(1000).build())
                .getDirectivesList().stream().map(Directive::getName).toList();
    }

    @Test
    void illegalTransitionsAreFailedPreconditionAndChangeNothing() {
        String fam = "dx" + Catalogue.unique();
        Catalogue.family(client, fam, 3);
        String name = "directives/x-" + fam;
        client.createDirective(CreateDirectiveRequest.newBuilder().setDirectiveId("x-" + fam)
                .setDirective(scenarioDirective(fam)).build());
        client.shadowDirective(ShadowDirectiveRequest.newBuilder().setName(name).build());
        var notEnforced = Grpc.expect(Status.Code.FAILED_PRECONDITION, () -> client.suspendDirective(
                SuspendDirectiveRequest.newBuilder().setName(name).setReason("r").build()));
        assertEquals("SHADOW", Grpc.info(notEnforced).getMetadataOrThrow("state"));
        client.enforceDirective(EnforceDirectiveRequest.newBuilder().setName(name).setEmergency(true).setReason("r").build());

        long before = stored.revision();
        var e = Grpc.expect(Status.Code.FAILED_PRECONDITION,
                () -> client.shadowDirective(ShadowDirectiveRequest.newBuilder().setName(name).build()));
        assertEquals("FAILED_PRECONDITION", Grpc.info(e).getReason());
        assertEquals("ENFORCED", Grpc.info(e).getMetadataOrThrow("state"));
        assertEquals("SHADOW", Grpc.info(e).getMetadataOrThrow("requested_state"));
        Grpc.expect(Status.Code.FAILED_PRECONDITION, () -> client.enforceDirective(EnforceDirectiveRequest.newBuilder()
                .setName(name).build()));

        client.revokeDirective(RevokeDirectiveRequest.newBuilder().setName(name).setReason("r").build());
        long afterRevoke = stored.revision();
        assertEquals(before + 1, afterRevoke, "the refused transitions did not bump the revision");
        for (var call : Arrays.<org.junit.jupiter.api.function.Executable>asList(
                () -> client.enforceDirective(EnforceDirectiveRequest.newBuilder().setName(name).build()),
                () -> client.enforceDirective(EnforceDirectiveRequest.newBuilder().setName(name).setEmergency(true).setReason("r").build()),
                () -> client.shadowDirective(ShadowDirectiveRequest.newBuilder().setName(name).build()),
                () -> client.suspendDirective(SuspendDirectiveRequest.newBuilder().setName(name).setReason("r").build()),
                () -> client.revokeDirective(RevokeDirectiveRequest.newBuilder().setName(name).setReason("r").build()))) {
            var refused = Grpc.expect(Status.Code.FAILED_PRECONDITION, call);
            assertEquals("REVOKED", Grpc.info(refused).getMetadataOrThrow("state"));
        }
        assertEquals(afterRevoke, stored.revision());
        assertEquals(4, stored.transitions("x-" + fam).size(), "created, shadow, enforce, revoke");
        assertEquals(dev.clearance.entitlement.v1.DirectiveState.DIRECTIVE_STATE_REVOKED, get(name).getState());

        Grpc.expect(Status.Code.NOT_FOUND, () -> client.enforceDirective(EnforceDirectiveRequest.newBuilder()
                .setName("directives/never-" + fam).build()));
        Grpc.expect(Status.Code.ALREADY_EXISTS, () -> client.createDirective(CreateDirectiveRequest.newBuilder()
                .setDirectiveId("x-" + fam).setDirective(scenarioDirective(fam)).build()));
    }

    @Test
    void countryGroupsAreExpandedInTheSnapshotButKeptAsWritten() {
        String fam = "cg" + Catalogue.unique();
        Catalogue.family(client, fam, 2);
        String name = "directives/d5-" + fam;
        Directive directive = scenarioDirective(fam).toBuilder()
                .setSubjects(DirectiveSubjects.newBuilder().setKind(SubjectKind.SUBJECT_KIND_NATIONALS_OF)
                        .addCountryGroups("D:5").addCountries("MO")
                        .setCitizenshipMode(CitizenshipMode.CITIZENSHIP_MODE_ANY))
                .clearScope().addScope(FamilyScope.newBuilder().setFamily("families/" + fam))
                .build();
        Directive created = client.createDirective(CreateDirectiveRequest.newBuilder().setDirectiveId("d5-" + fam)
                .setDirective(directive).build()).getDirective();
        assertEquals(List.of("MO"), created.getSubjects().getCountriesList(), "stored as written");
        assertEquals(List.of("D:5"), created.getSubjects().getCountryGroupsList());

        client.shadowDirective(ShadowDirectiveRequest.newBuilder().setName(name).setReason("watch first").build());
        PolicySnapshot snap = snapshot();
        Directive shadow = snap.getDirectivesList().stream().filter(d -> d.getName().equals(name)).findFirst().orElseThrow();
        assertEquals(dev.clearance.entitlement.v1.DirectiveState.DIRECTIVE_STATE_SHADOW, shadow.getState());
        List<String> countries = shadow.getSubjects().getCountriesList();
        assertTrue(countries.containsAll(List.of("CN", "RU", "IR", "KP", "VE", "MO", "HK")), countries.toString());
        assertFalse(countries.contains("GB"));
        assertFalse(countries.contains("KH"), "Cambodia left D:5 before the 2026-07-23 table");
        assertEquals(CitizenshipMode.CITIZENSHIP_MODE_ANY, shadow.getSubjects().getCitizenshipMode());
        assertEquals("2026-07-23", snap.getCountryGroupsIssueDate());
        assertTrue(snap.getEmbargoedRegionsList().containsAll(List.of("CU", "IR", "KP", "SY", "UA-43", "UA-40", "UA-14", "UA-09")));
    }
}
