package dev.clearance.identity.grpc;

import com.google.protobuf.FieldMask;
import dev.clearance.common.v1.Change;
import dev.clearance.identity.v1.ApiKey;
import dev.clearance.identity.v1.CreateApiKeyRequest;
import dev.clearance.identity.v1.CreateApiKeyResponse;
import dev.clearance.identity.v1.CreatePersonRequest;
import dev.clearance.identity.v1.IdentityServiceGrpc.IdentityServiceBlockingStub;
import dev.clearance.identity.v1.ImmigrationStatus;
import dev.clearance.identity.v1.ListChangesRequest;
import dev.clearance.identity.v1.ListChangesResponse;
import dev.clearance.identity.v1.Person;
import dev.clearance.identity.v1.RecordVerificationRequest;
import dev.clearance.identity.v1.RevokeApiKeyRequest;
import dev.clearance.identity.v1.RevokeVerificationRequest;
import dev.clearance.identity.v1.RotateApiKeyRequest;
import dev.clearance.identity.v1.UpdatePersonRequest;
import dev.clearance.identity.v1.Verification;
import dev.clearance.identity.support.OperatorTokens;
import dev.clearance.identity.v1.ListScreeningMatchesRequest;
import dev.clearance.identity.v1.ResolveScreeningMatchRequest;
import dev.clearance.identity.v1.ScreeningMatch;
import dev.clearance.identity.v1.ScreeningResolution;
import dev.clearance.identity.v1.CreateOrganisationRequest;
import dev.clearance.identity.v1.Organisation;
import dev.clearance.identity.v1.UpdateOrganisationRequest;
import dev.clearance.testing.PostgresTestResource;
import dev.clearance.testing.TestIssuer;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.clearance.identity.support.Fixtures.birth;
import static dev.clearance.identity.support.Fixtures.evidence;
import static dev.clearance.identity.support.Fixtures.uniqueId;
import static dev.clearance.identity.support.Grpc.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every admin write leaves one change-log row in its own transaction, attributed to the token's
 * operator ({@code username (subject)}); ListChanges (compliance, auditor) reads them back.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class ChangeLogTest {

    @GrpcClient("identity")
    IdentityServiceBlockingStub identity;

    private List<Change> changes(ListChangesRequest.Builder r) {
        return identity.listChanges(r.build()).getChangesList();
    }

    /** An operator with both write roles; the log names them {@code officer (officer)}. */
    private IdentityServiceBlockingStub as(String officer) {
        return OperatorTokens.as(identity, officer, TestIssuer.ADMIN, TestIssuer.COMPLIANCE);
    }

    @Test
    void personEvidenceAndApiKeyWritesAreLoggedWithBeforeAndAfterAndNoSecret() {
        String officer = uniqueId("officer");
        IdentityServiceBlockingStub as = as(officer);
        String id = uniqueId("p");
        Person p = as.createPerson(CreatePersonRequest.newBuilder().setPersonId(id)
                .setPerson(Person.newBuilder().setDisplayName("Old Name")).build()).getPerson();
        as.updatePerson(UpdatePersonRequest.newBuilder().setPerson(Person.newBuilder().setName(p.getName())
                .setDisplayName("New Name")).setUpdateMask(FieldMask.newBuilder().addPaths("display_name")).build());
        Verification v = as.recordVerification(RecordVerificationRequest.newBuilder().setParent(p.getName())
                .setVerification(evidence(ImmigrationStatus.IMMIGRATION_STATUS_NONE, birth("US"))).build()).getVerification();
        as.revokeVerification(RevokeVerificationRequest.newBuilder().setName(v.getName()).setReason("forged").build());
        CreateApiKeyResponse key = as.createApiKey(CreateApiKeyRequest.newBuilder()
                .setApiKey(ApiKey.newBuilder().setOwner(p.getName()).setDisplayName("ci")).build());
        String rotated = as.rotateApiKey(RotateApiKeyRequest.newBuilder().setName(key.getApiKey().getName()).build()).getSecret();
        as.revokeApiKey(RevokeApiKeyRequest.newBuilder().setName(key.getApiKey().getName()).build());

        List<Change> log = changes(ListChangesRequest.newBuilder().setActor(OperatorTokens.actor(officer)));
        assertEquals(List.of("REVOKE", "ROTATE", "CREATE", "REVOKE", "CREATE", "UPDATE", "CREATE"),
                log.stream().map(Change::getAction).toList());
        assertEquals(List.of(key.getApiKey().getName(), key.getApiKey().getName(), key.getApiKey().getName(),
                        v.getName(), v.getName(), p.getName(), p.getName()),
                log.stream().map(Change::getResource).toList());
        Change rename = log.get(5);
        assertTrue(rename.getBefore().contains("\"display_name\":\"Old Name\""), rename.getBefore());
        assertTrue(rename.getAfter().contains("\"display_name\":\"New Name\""), rename.getAfter());
        assertEquals("", log.get(6).getBefore());
        assertEquals("forged", log.get(3).getReason());
        for (Change c : log) {
            assertFalse(c.getBefore().contains(key.getSecret()) || c.getAfter().contains(key.getSecret()), c.toString());
            assertFalse(c.getBefore().contains(rotated) || c.getAfter().contains(rotated), c.toString());
        }

        // Resource filters: exact and prefix.
        assertEquals(2, changes(ListChangesRequest.newBuilder().setResource(p.getName())).size());
        assertEquals(4, changes(ListChangesRequest.newBuilder().setResource(p.getName() + "*")).size());

        // Paging, newest first, with the filters bound to the token.
        List<String> paged = new ArrayList<>();
        String token = "";
        do {
            ListChangesResponse page = identity.listChanges(ListChangesRequest.newBuilder().setActor(OperatorTokens.actor(officer))
                    .setPageSize(3).setPageToken(token).build());
            page.getChangesList().forEach(c -> paged.add(c.getName()));
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        assertEquals(log.stream().map(Change::getName).toList(), paged);
    }

    @Test
    void organisationWritesAndScreeningResolutionsAreLogged() {
        String officer = uniqueId("officer");
        IdentityServiceBlockingStub as = as(officer);
        Organisation org = as.createOrganisation(CreateOrganisationRequest.newBuilder().setOrganisationId(uniqueId("org"))
                .setOrganisation(Organisation.newBuilder().setDisplayName("Initech").setCountry("US")).build())
                .getOrganisation();
        as.updateOrganisation(UpdateOrganisationRequest.newBuilder().setOrganisation(Organisation.newBuilder()
                .setName(org.getName()).setCountry("CA")).setUpdateMask(FieldMask.newBuilder().addPaths("country")).build());
        // A name on the base screening list: a potential match an officer clears.
        Person listed = as.createPerson(CreatePersonRequest.newBuilder().setPersonId(uniqueId("p"))
                .setPerson(Person.newBuilder().setDisplayName("Anatoli Petrovski")).build()).getPerson();
        List<ScreeningMatch> matches = identity.listScreeningMatches(ListScreeningMatchesRequest.newBuilder()
                .setSubject(listed.getName()).build()).getScreeningMatchesList();
        assertEquals(1, matches.size(), matches::toString);
        as.resolveScreeningMatch(ResolveScreeningMatchRequest.newBuilder().setName(matches.get(0).getName())
                .setResolution(ScreeningResolution.SCREENING_RESOLUTION_CLEAR).setReason("different date of birth").build());

        List<Change> log = changes(ListChangesRequest.newBuilder().setActor(OperatorTokens.actor(officer)));
        assertEquals(List.of("RESOLVE", "CREATE", "UPDATE", "CREATE"), log.stream().map(Change::getAction).toList());
        assertEquals(List.of(matches.get(0).getName(), listed.getName(), org.getName(), org.getName()),
                log.stream().map(Change::getResource).toList());
        Change resolution = log.get(0);
        assertEquals("different date of birth", resolution.getReason());
        assertTrue(resolution.getBefore().contains("OPEN"), resolution.getBefore());
        assertTrue(resolution.getAfter().contains("CLEARED"), resolution.getAfter());
        Change move = log.get(2);
        assertTrue(move.getBefore().contains("\"country\":\"US\"") && move.getAfter().contains("\"country\":\"CA\""),
                move::toString);
    }

    @Test
    void filtersByTimeAndRefusesBadRequests() {
        String officer = uniqueId("officer");
        String id = uniqueId("p");
        Person p = as(officer).createPerson(CreatePersonRequest.newBuilder().setPersonId(id)
                .setPerson(Person.newBuilder().setDisplayName("Tim Window")).build()).getPerson();
        Change created = changes(ListChangesRequest.newBuilder().setResource(p.getName())).get(0);
        long at = created.getChangeTime().getSeconds();
        assertEquals(1, changes(ListChangesRequest.newBuilder().setResource(p.getName())
                .setStartTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(at - 60))
                .setEndTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(at + 60))).size());
        assertEquals(0, changes(ListChangesRequest.newBuilder().setResource(p.getName())
                .setStartTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(at + 60))).size());
        assertEquals(0, changes(ListChangesRequest.newBuilder().setResource(p.getName())
                .setEndTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(at - 60))).size());

        assertError(Status.Code.INVALID_ARGUMENT, "FIELD_INVALID", () -> identity.listChanges(ListChangesRequest.newBuilder()
                .setPageSize(-1).build()));
        assertError(Status.Code.INVALID_ARGUMENT, "FIELD_INVALID", () -> identity.listChanges(ListChangesRequest.newBuilder()
                .setPageToken("not-a-token").build()));
        // A token is bound to its filters (two changes of this officer: a second page exists).
        as(officer).updatePerson(UpdatePersonRequest.newBuilder().setPerson(Person.newBuilder().setName(p.getName())
                .setDisplayName("Tim Window II")).setUpdateMask(FieldMask.newBuilder().addPaths("display_name")).build());
        String token = identity.listChanges(ListChangesRequest.newBuilder().setPageSize(1)
                .setActor(OperatorTokens.actor(officer)).build()).getNextPageToken();
        assertFalse(token.isEmpty());
        assertError(Status.Code.INVALID_ARGUMENT, "FIELD_INVALID", () -> identity.listChanges(ListChangesRequest.newBuilder()
                .setPageSize(1).setActor("someone else").setPageToken(token).build()));
    }

    @Test
    void aWriteThatFailsLeavesNoChange() {
        String officer = uniqueId("officer");
        IdentityServiceBlockingStub as = as(officer);
        assertError(Status.Code.INVALID_ARGUMENT, "FIELD_INVALID", () -> as.createPerson(
                CreatePersonRequest.newBuilder().setPersonId("Not Valid").build()));
        assertError(Status.Code.INVALID_ARGUMENT, "FIELD_INVALID", () -> as.createPerson(
                CreatePersonRequest.newBuilder().setPersonId(uniqueId("p"))
                        .setPerson(Person.newBuilder().setDisplayName("x").setOrganisation("organisations/" + uniqueId("none")))
                        .build()));
        assertError(Status.Code.NOT_FOUND, "RESOURCE_NOT_FOUND", () -> as.revokeApiKey(
                RevokeApiKeyRequest.newBuilder().setName("apiKeys/" + uniqueId("none")).build()));
        assertEquals(List.of(), changes(ListChangesRequest.newBuilder().setActor(OperatorTokens.actor(officer))));
    }

    @Test
    void onlyComplianceAndAuditorsReadTheLog() {
        assertEquals(Status.Code.PERMISSION_DENIED, assertThrowsStatus(() -> OperatorTokens.as(identity, uniqueId("admin"),
                TestIssuer.ADMIN).listChanges(ListChangesRequest.getDefaultInstance())));
        OperatorTokens.as(identity, uniqueId("auditor"), TestIssuer.AUDITOR).listChanges(ListChangesRequest.getDefaultInstance());
        OperatorTokens.as(identity, uniqueId("officer"), TestIssuer.COMPLIANCE).listChanges(ListChangesRequest.getDefaultInstance());
    }

    private static Status.Code assertThrowsStatus(Runnable call) {
        try {
            call.run();
        } catch (io.grpc.StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
        throw new AssertionError("the call succeeded");
    }
}
