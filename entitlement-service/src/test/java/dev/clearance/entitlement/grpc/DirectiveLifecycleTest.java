package dev.clearance.entitlement.grpc;

import dev.clearance.entitlement.OperatorTokens;
import com.google.protobuf.Timestamp;
import dev.clearance.entitlement.Catalogue;
import dev.clearance.entitlement.Grpc;
import dev.clearance.entitlement.StoredState;
import dev.clearance.entitlement.domain.DirectiveState;
import dev.clearance.entitlement.domain.DirectiveTransitionEntity;
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

    /** The client with a compliance officer's token ({@code actor} is username and subject). */
    private EntitlementServiceGrpc.EntitlementServiceBlockingStub as(String actor) {
        return OperatorTokens.as(client, actor, dev.clearance.testing.TestIssuer.COMPLIANCE);
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

    @Test
    void createEnforceRevokeWithAuditTrail() {
        String fam = "dl" + Catalogue.unique();
        Catalogue.family(client, fam, 3);
        String id = "bis-ed-" + fam;
        String name = "directives/" + id;

        Directive draft = as("carol@compliance").createDirective(CreateDirectiveRequest.newBuilder()
                .setDirectiveId(id).setDirective(scenarioDirective(fam)).build()).getDirective();
        assertEquals(name, draft.getName());
        assertEquals(dev.clearance.entitlement.v1.DirectiveState.DIRECTIVE_STATE_DRAFT, draft.getState());
        assertTrue(draft.hasCreateTime());
        assertEquals(scenarioDirective(fam).getScopeList(), draft.getScopeList());
        assertEquals(draft, client.getDirective(GetDirectiveRequest.newBuilder().setName(name).build()).getDirective());
        assertFalse(snapshot().getDirectivesList().stream().anyMatch(d -> d.getName().equals(name)),
                "drafts never reach the snapshot");

        long before = stored.revision();
        EnforceDirectiveResponse enforced = as("carol@compliance").enforceDirective(EnforceDirectiveRequest.newBuilder()
                .setName(name).setReason("BIS letter received 17:21 ET").build());
        assertEquals(dev.clearance.entitlement.v1.DirectiveState.DIRECTIVE_STATE_ENFORCED, enforced.getDirective().getState());
        assertEquals(before + 1, enforced.getPolicyRevision());
        PolicySnapshot withDirective = snapshot();
        assertTrue(withDirective.getRevision() >= enforced.getPolicyRevision());
        Directive inSnapshot = withDirective.getDirectivesList().stream().filter(d -> d.getName().equals(name))
                .findFirst().orElseThrow();
        assertEquals(dev.clearance.entitlement.v1.DirectiveState.DIRECTIVE_STATE_ENFORCED, inSnapshot.getState());

        RevokeDirectiveResponse revoked = client.revokeDirective(RevokeDirectiveRequest.newBuilder()
                .setName(name).setReason("letter withdrawn").build());
        assertEquals(dev.clearance.entitlement.v1.DirectiveState.DIRECTIVE_STATE_REVOKED, revoked.getDirective().getState());
        assertEquals(enforced.getPolicyRevision() + 1, revoked.getPolicyRevision());
        assertFalse(snapshot().getDirectivesList().stream().anyMatch(d -> d.getName().equals(name)));

        List<DirectiveTransitionEntity> history = stored.transitions(id);
        assertEquals(3, history.size());
        assertNull(history.get(0).fromState);
        assertEquals(DirectiveState.DRAFT, history.get(0).toState);
        assertEquals(OperatorTokens.actor("carol@compliance"), history.get(0).actor);
        assertEquals(DirectiveState.DRAFT, history.get(1).fromState);
        assertEquals(DirectiveState.ENFORCED, history.get(1).toState);
        assertEquals(OperatorTokens.actor("carol@compliance"), history.get(1).actor);
        assertEquals("BIS letter received 17:21 ET", history.get(1).reason);
        assertEquals(enforced.getPolicyRevision(), history.get(1).policyRevision);
        assertEquals(DirectiveState.ENFORCED, history.get(2).fromState);
        assertEquals(DirectiveState.REVOKED, history.get(2).toState);
        assertEquals(OperatorTokens.actor(OperatorTokens.DEFAULT_OPERATOR), history.get(2).actor,
                "the default test token's operator");
        assertEquals("letter withdrawn", history.get(2).reason);
    }

    @Test
    void illegalTransitionsAreFailedPreconditionAndChangeNothing() {
        String fam = "dx" + Catalogue.unique();
        Catalogue.family(client, fam, 3);
        String name = "directives/x-" + fam;
        client.createDirective(CreateDirectiveRequest.newBuilder().setDirectiveId("x-" + fam)
                .setDirective(scenarioDirective(fam)).build());
        client.shadowDirective(ShadowDirectiveRequest.newBuilder().setName(name).build());
        client.enforceDirective(EnforceDirectiveRequest.newBuilder().setName(name).build());

        long before = stored.revision();
        var e = Grpc.expect(Status.Code.FAILED_PRECONDITION,
                () -> client.shadowDirective(ShadowDirectiveRequest.newBuilder().setName(name).build()));
        assertEquals("FAILED_PRECONDITION", Grpc.info(e).getReason());
        assertEquals("ENFORCED", Grpc.info(e).getMetadataOrThrow("state"));
        assertEquals("SHADOW", Grpc.info(e).getMetadataOrThrow("requested_state"));

        client.revokeDirective(RevokeDirectiveRequest.newBuilder().setName(name).build());
        long afterRevoke = stored.revision();
        assertEquals(before + 1, afterRevoke, "the refused transition did not bump the revision");
        for (var call : Arrays.<org.junit.jupiter.api.function.Executable>asList(
                () -> client.enforceDirective(EnforceDirectiveRequest.newBuilder().setName(name).build()),
                () -> client.shadowDirective(ShadowDirectiveRequest.newBuilder().setName(name).build()),
                () -> client.revokeDirective(RevokeDirectiveRequest.newBuilder().setName(name).build()))) {
            var refused = Grpc.expect(Status.Code.FAILED_PRECONDITION, call);
            assertEquals("REVOKED", Grpc.info(refused).getMetadataOrThrow("state"));
        }
        assertEquals(afterRevoke, stored.revision());
        assertEquals(4, stored.transitions("x-" + fam).size(), "created, shadow, enforce, revoke");
        assertEquals(dev.clearance.entitlement.v1.DirectiveState.DIRECTIVE_STATE_REVOKED,
                client.getDirective(GetDirectiveRequest.newBuilder().setName(name).build()).getDirective().getState());

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
