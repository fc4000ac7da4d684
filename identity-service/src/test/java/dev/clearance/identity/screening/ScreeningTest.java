package dev.clearance.identity.screening;

import dev.clearance.identity.v1.ListChangesRequest;
import dev.clearance.common.v1.Change;
import dev.clearance.api.ApiError;
import dev.clearance.common.v1.CallerIdentity;
import dev.clearance.common.v1.ScreeningStatus;
import dev.clearance.identity.support.ScreeningListResource;
import dev.clearance.identity.v1.ApiKey;
import dev.clearance.identity.v1.CreateApiKeyRequest;
import dev.clearance.identity.v1.CreateOrganisationRequest;
import dev.clearance.identity.v1.CreatePersonRequest;
import dev.clearance.identity.v1.GetOrganisationRequest;
import dev.clearance.identity.v1.GetPersonRequest;
import dev.clearance.identity.v1.GetScreeningListRequest;
import dev.clearance.identity.v1.IdentityServiceGrpc.IdentityServiceBlockingStub;
import dev.clearance.identity.v1.ListScreeningMatchesRequest;
import dev.clearance.identity.v1.Organisation;
import dev.clearance.identity.v1.Person;
import dev.clearance.identity.v1.ReloadScreeningListRequest;
import dev.clearance.identity.v1.ReloadScreeningListResponse;
import dev.clearance.identity.v1.ResolveCallerRequest;
import dev.clearance.identity.v1.ResolveScreeningMatchRequest;
import dev.clearance.identity.v1.ResolveScreeningMatchResponse;
import dev.clearance.identity.v1.ScreeningList;
import dev.clearance.identity.v1.ScreeningMatch;
import dev.clearance.identity.v1.ScreeningMatchState;
import dev.clearance.identity.v1.ScreeningResolution;
import dev.clearance.identity.v1.UpdateOrganisationRequest;
import dev.clearance.identity.v1.UpdatePersonRequest;
import com.google.protobuf.FieldMask;
import dev.clearance.testing.PostgresTestResource;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.clearance.identity.support.Fixtures.as;
import static dev.clearance.identity.support.Fixtures.birth;
import static dev.clearance.identity.support.Fixtures.evidence;
import static dev.clearance.identity.support.Fixtures.record;
import static dev.clearance.identity.support.Fixtures.uniqueId;
import static dev.clearance.identity.support.Grpc.assertError;
import static dev.clearance.identity.support.Grpc.assertViolations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Screening on create, on reload and on an officer's decision, against PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(ScreeningListResource.class)
class ScreeningTest {

    private static final String OFFICER = "officer.lee@provider.test";

    @GrpcClient("identity")
    IdentityServiceBlockingStub identity;

    @ConfigProperty(name = "clearance.screening.list-path")
    String listPath;

    /** Every test leaves the base list in force. */
    @AfterEach
    void restoreBaseList() throws IOException {
        try (InputStream in = ScreeningTest.class.getResourceAsStream(ScreeningListResource.BASE_LIST)) {
            Files.write(Path.of(listPath), in.readAllBytes());
        }
        identity.reloadScreeningList(ReloadScreeningListRequest.getDefaultInstance());
    }

    private Person createPerson(String displayName, String organisation) {
        Person.Builder p = Person.newBuilder().setDisplayName(displayName);
        if (organisation != null) {
            p.setOrganisation(organisation);
        }
        return identity.createPerson(CreatePersonRequest.newBuilder().setPersonId(uniqueId("p")).setPerson(p).build())
                .getPerson();
    }

    private Organisation createOrganisation(String displayName, String country) {
        return identity.createOrganisation(CreateOrganisationRequest.newBuilder().setOrganisationId(uniqueId("org"))
                .setOrganisation(Organisation.newBuilder().setDisplayName(displayName).setCountry(country)).build())
                .getOrganisation();
    }

    private List<ScreeningMatch> matches(String subject, ScreeningMatchState state) {
        return identity.listScreeningMatches(ListScreeningMatchesRequest.newBuilder()
                .setSubject(subject).setState(state).build()).getScreeningMatchesList();
    }

    private ResolveScreeningMatchResponse resolve(ScreeningMatch m, ScreeningResolution resolution, String reason) {
        return as(identity, OFFICER).resolveScreeningMatch(ResolveScreeningMatchRequest.newBuilder()
                .setName(m.getName()).setResolution(resolution).setReason(reason).build());
    }

    private CallerIdentity caller(String subject) {
        return identity.resolveCaller(ResolveCallerRequest.newBuilder().setSubject(subject).build()).getCaller();
    }

    private Person get(Person p) {
        return identity.getPerson(GetPersonRequest.newBuilder().setName(p.getName()).build()).getPerson();
    }

    private ReloadScreeningListResponse reloadWith(String fileContent) throws IOException {
        Files.writeString(Path.of(listPath), fileContent, StandardCharsets.UTF_8);
        return identity.reloadScreeningList(ReloadScreeningListRequest.getDefaultInstance());
    }

    private static String baseList() throws IOException {
        try (InputStream in = ScreeningTest.class.getResourceAsStream(ScreeningListResource.BASE_LIST)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aListedNameIsAPotentialMatchOnCreateUntilAnOfficerClearsIt() {
        Person p = createPerson("Anatoli Petrovski", null);
        assertEquals(ScreeningStatus.SCREENING_STATUS_POTENTIAL_MATCH, p.getScreeningStatus());
        assertEquals(2, p.getIdentityRevision(), "created, then screened");
        assertEquals(ScreeningStatus.SCREENING_STATUS_POTENTIAL_MATCH, caller(p.getName()).getScreeningStatus());

        List<ScreeningMatch> open = matches(p.getName(), ScreeningMatchState.SCREENING_MATCH_STATE_UNSPECIFIED);
        assertEquals(1, open.size());
        ScreeningMatch m = open.get(0);
        assertEquals("test-sdn-2", m.getListEntryId());
        assertEquals("Anatoli Petrovski", m.getListedName());
        assertEquals(1.0, m.getScore());
        assertEquals(ScreeningMatchState.SCREENING_MATCH_STATE_OPEN, m.getState());

        ResolveScreeningMatchResponse cleared = resolve(m, ScreeningResolution.SCREENING_RESOLUTION_CLEAR,
                "different person: date of birth 1994, UK passport seen");
        assertEquals(ScreeningMatchState.SCREENING_MATCH_STATE_CLEARED, cleared.getScreeningMatch().getState());
        assertEquals(dev.clearance.identity.support.OperatorTokens.actor(OFFICER), cleared.getScreeningMatch().getResolvedBy());
        assertEquals(ScreeningStatus.SCREENING_STATUS_CLEAR, cleared.getSubjectScreeningStatus());
        Person after = get(p);
        assertEquals(ScreeningStatus.SCREENING_STATUS_CLEAR, after.getScreeningStatus());
        assertEquals(3, after.getIdentityRevision(), "the status change bumps the revision");
        assertEquals(ScreeningStatus.SCREENING_STATUS_CLEAR, caller(p.getName()).getScreeningStatus());
        assertEquals(List.of(), matches(p.getName(), ScreeningMatchState.SCREENING_MATCH_STATE_OPEN));

        // a cleared match stays cleared when the same list is reloaded
        identity.reloadScreeningList(ReloadScreeningListRequest.getDefaultInstance());
        assertEquals(ScreeningStatus.SCREENING_STATUS_CLEAR, get(p).getScreeningStatus());
        assertEquals(3, get(p).getIdentityRevision());
    }

    @Test
    void confirmedMatchDeniesAndIsStrongWithACommonCountry() {
        Person p = createPerson("Zoltan Kovari-Hegedus", null);
        record(identity, p, evidence(dev.clearance.identity.v1.ImmigrationStatus.IMMIGRATION_STATUS_NONE, birth("HU")));
        // screened at creation, before the citizenship was known: not strong
        ScreeningMatch m = matches(p.getName(), ScreeningMatchState.SCREENING_MATCH_STATE_OPEN).get(0);
        assertEquals(List.of("HU"), m.getListedCountriesList());

        ResolveScreeningMatchResponse confirmed = resolve(m, ScreeningResolution.SCREENING_RESOLUTION_CONFIRM,
                "identity documents match the DPL entry");
        assertEquals(ScreeningStatus.SCREENING_STATUS_CONFIRMED_MATCH, confirmed.getSubjectScreeningStatus());
        assertEquals(ScreeningStatus.SCREENING_STATUS_CONFIRMED_MATCH, caller(p.getName()).getScreeningStatus());

        var e = assertError(Status.Code.FAILED_PRECONDITION, "FAILED_PRECONDITION",
                () -> resolve(confirmed.getScreeningMatch(), ScreeningResolution.SCREENING_RESOLUTION_CONFIRM, "again"));
        assertEquals("CONFIRMED", ApiError.errorInfo(e).orElseThrow().getMetadataOrThrow("state"));
        // a confirmed match can still be cleared (delisting, mistake), with a reason
        assertEquals(ScreeningStatus.SCREENING_STATUS_CLEAR, resolve(confirmed.getScreeningMatch(),
                ScreeningResolution.SCREENING_RESOLUTION_CLEAR, "delisted on 2026-06-30").getSubjectScreeningStatus());
    }

    @Test
    void anOrganisationHitCarriesToItsMembersAndItsKeys() {
        Organisation org = createOrganisation("Orbital Dynamics Trading GmbH", "HK");
        assertEquals(ScreeningStatus.SCREENING_STATUS_POTENTIAL_MATCH, org.getScreeningStatus());
        ScreeningMatch m = matches(org.getName(), ScreeningMatchState.SCREENING_MATCH_STATE_OPEN).get(0);
        assertTrue(m.getStrong(), "exact normalised name and a common country");

        Person member = createPerson("Dana Example", org.getName());
        assertEquals(ScreeningStatus.SCREENING_STATUS_CLEAR, member.getScreeningStatus());
        assertEquals(ScreeningStatus.SCREENING_STATUS_POTENTIAL_MATCH, caller(member.getName()).getScreeningStatus(),
                "the organisation's status is the worse one");
        String key = identity.createApiKey(CreateApiKeyRequest.newBuilder()
                .setApiKey(ApiKey.newBuilder().setOwner(org.getName())).build()).getSecret();
        assertEquals(ScreeningStatus.SCREENING_STATUS_POTENTIAL_MATCH, identity.resolveCaller(
                ResolveCallerRequest.newBuilder().setApiKey(key).build()).getCaller().getScreeningStatus());

        long before = get(member).getIdentityRevision();
        resolve(m, ScreeningResolution.SCREENING_RESOLUTION_CONFIRM, "same company, registry extract on file");
        assertEquals(ScreeningStatus.SCREENING_STATUS_CONFIRMED_MATCH, identity.getOrganisation(
                GetOrganisationRequest.newBuilder().setName(org.getName()).build()).getOrganisation().getScreeningStatus());
        assertEquals(ScreeningStatus.SCREENING_STATUS_CONFIRMED_MATCH, caller(member.getName()).getScreeningStatus());
        assertEquals(before + 1, get(member).getIdentityRevision(), "members see the change as a new revision");
    }

    @Test
    void reloadScreensEveryoneAgainstTheNewListAndLapsesWhatNoLongerMatches() throws IOException {
        Person p = createPerson("Caspian Horizon Logistics", null);
        Person listed = createPerson("Marisol Ferreira Quintana", null);
        assertEquals(ScreeningStatus.SCREENING_STATUS_CLEAR, p.getScreeningStatus());
        assertEquals(ScreeningStatus.SCREENING_STATUS_POTENTIAL_MATCH, listed.getScreeningStatus());

        String newList = baseList().lines().filter(l -> !l.startsWith("test-isn-4")).reduce("", (a, b) -> a + b + "\n")
                + "test-uvl-5,Unverified List (UVL) - Bureau of Industry and Security,,Entity,,Caspian Horizon Logistics Ltd,,\"7 Neftchilar Ave, Baku, , , AZ\",,,,,,,,,,,,,Fictional.,,,,,,,,\n";
        // The same list made unreadable: refused, so no status changes and no change rows.
        Files.writeString(Path.of(listPath), newList + "test-x,SDN,,Entity,,\"Unclosed quote,,,\n");
        assertError(Status.Code.FAILED_PRECONDITION, "FAILED_PRECONDITION",
                () -> identity.reloadScreeningList(ReloadScreeningListRequest.getDefaultInstance()));
        assertEquals(List.of(), systemChanges(p), "a refused reload logs nothing");
        assertEquals(List.of(), systemChanges(listed));

        ReloadScreeningListResponse reloaded = reloadWith(newList);
        assertEquals(4, reloaded.getScreeningList().getEntryCount());
        assertTrue(reloaded.getSubjectsScreened() >= 2);
        assertTrue(reloaded.getStatusChanges() >= 2);

        Person nowListed = get(p);
        assertEquals(ScreeningStatus.SCREENING_STATUS_POTENTIAL_MATCH, nowListed.getScreeningStatus());
        assertEquals(p.getIdentityRevision() + 1, nowListed.getIdentityRevision());
        Person delisted = get(listed);
        assertEquals(ScreeningStatus.SCREENING_STATUS_CLEAR, delisted.getScreeningStatus());
        ScreeningMatch lapsed = matches(listed.getName(), ScreeningMatchState.SCREENING_MATCH_STATE_LAPSED).get(0);
        assertEquals("system", lapsed.getResolvedBy());

        // Each status change is one change row by the service, naming the list, before and after.
        List<Change> listedNow = systemChanges(p);
        assertEquals(1, listedNow.size(), listedNow::toString);
        assertEquals("UPDATE", listedNow.get(0).getAction());
        assertTrue(listedNow.get(0).getBefore().contains("SCREENING_STATUS_CLEAR"), listedNow.get(0).getBefore());
        assertTrue(listedNow.get(0).getAfter().contains("SCREENING_STATUS_POTENTIAL_MATCH"), listedNow.get(0).getAfter());
        assertTrue(listedNow.get(0).getReason().startsWith("screening list ")
                && listedNow.get(0).getReason().contains(" reloaded (version "), listedNow.get(0).getReason());
        List<Change> cleared = systemChanges(listed);
        assertEquals(1, cleared.size(), cleared::toString);
        assertTrue(cleared.get(0).getAfter().contains("SCREENING_STATUS_CLEAR"), cleared.get(0).getAfter());
    }

    /** Change rows about the subject itself (not its evidence) by the service, newest first. */
    private List<Change> systemChanges(Person p) {
        return identity.listChanges(ListChangesRequest.newBuilder().setActor("system").setResource(p.getName()).build())
                .getChangesList();
    }

    @Test
    void aMalformedListIsRefusedAndTheOldOneStaysInForce() throws IOException {
        ScreeningList before = identity.getScreeningList(GetScreeningListRequest.getDefaultInstance()).getScreeningList();
        Files.writeString(Path.of(listPath), baseList() + "test-x,SDN,,Entity,,\"Unclosed quote,,,\n");
        var e = assertError(Status.Code.FAILED_PRECONDITION, "FAILED_PRECONDITION",
                () -> identity.reloadScreeningList(ReloadScreeningListRequest.getDefaultInstance()));
        var info = ApiError.errorInfo(e).orElseThrow();
        assertTrue(info.getMetadataOrThrow("problem").contains("unterminated quoted field"), info.toString());
        assertEquals(before.getVersion(), info.getMetadataOrThrow("version_in_force"));
        assertEquals(before, identity.getScreeningList(GetScreeningListRequest.getDefaultInstance()).getScreeningList());
        assertEquals(ScreeningStatus.SCREENING_STATUS_POTENTIAL_MATCH,
                createPerson("Petrovsky Anatoly Viktorovich", null).getScreeningStatus(), "the old list still screens");

        Files.writeString(Path.of(listPath), baseList().lines().findFirst().orElseThrow() + "\n");
        assertError(Status.Code.FAILED_PRECONDITION, "FAILED_PRECONDITION",
                () -> identity.reloadScreeningList(ReloadScreeningListRequest.getDefaultInstance()));
        assertEquals(before.getVersion(), identity.getScreeningList(GetScreeningListRequest.getDefaultInstance())
                .getScreeningList().getVersion(), "an empty list never replaces a real one");
    }

    @Test
    void renamingIsScreenedAgain() {
        Person p = createPerson("Dana Renamed", null);
        assertEquals(ScreeningStatus.SCREENING_STATUS_CLEAR, p.getScreeningStatus());
        Person listed = identity.updatePerson(UpdatePersonRequest.newBuilder()
                .setPerson(Person.newBuilder().setName(p.getName()).setDisplayName("Anatoly V. Petrovsky")
                        .setSubject("ignored-not-in-mask"))
                .setUpdateMask(FieldMask.newBuilder().addPaths("display_name")).build()).getPerson();
        assertEquals("Anatoly V. Petrovsky", listed.getDisplayName());
        assertEquals("", listed.getSubject(), "fields outside the mask are not read");
        assertEquals(ScreeningStatus.SCREENING_STATUS_POTENTIAL_MATCH, listed.getScreeningStatus());
        assertEquals(p.getIdentityRevision() + 1, listed.getIdentityRevision());

        Person back = identity.updatePerson(UpdatePersonRequest.newBuilder()
                .setPerson(Person.newBuilder().setName(p.getName()).setDisplayName("Dana Renamed"))
                .setUpdateMask(FieldMask.newBuilder().addPaths("display_name")).build()).getPerson();
        assertEquals(ScreeningStatus.SCREENING_STATUS_CLEAR, back.getScreeningStatus());
        assertEquals(1, matches(p.getName(), ScreeningMatchState.SCREENING_MATCH_STATE_LAPSED).size());

        Organisation org = createOrganisation("Harbour Light Analytics", "SG");
        Person member = createPerson("Member Example", org.getName());
        Organisation renamed = identity.updateOrganisation(UpdateOrganisationRequest.newBuilder()
                .setOrganisation(Organisation.newBuilder().setName(org.getName()).setDisplayName("ODT Hong Kong Ltd")
                        .setCountry("HK"))
                .setUpdateMask(FieldMask.newBuilder().addPaths("display_name").addPaths("country")).build())
                .getOrganisation();
        assertEquals("HK", renamed.getCountry());
        assertEquals(ScreeningStatus.SCREENING_STATUS_POTENTIAL_MATCH, renamed.getScreeningStatus());
        assertTrue(matches(org.getName(), ScreeningMatchState.SCREENING_MATCH_STATE_OPEN).get(0).getStrong());
        assertEquals(ScreeningStatus.SCREENING_STATUS_POTENTIAL_MATCH, caller(member.getName()).getScreeningStatus());

        assertViolations(List.of("person.name", "update_mask"), () -> identity.updatePerson(UpdatePersonRequest
                .newBuilder().setPerson(Person.newBuilder().setName("p").setDisplayName("x")).build()));
        assertViolations(List.of("update_mask", "person.display_name"), () -> identity.updatePerson(UpdatePersonRequest
                .newBuilder().setPerson(Person.newBuilder().setName(p.getName()))
                .setUpdateMask(FieldMask.newBuilder().addPaths("display_name").addPaths("us_person_status")).build()));
        assertViolations(List.of("organisation.country"), () -> identity.updateOrganisation(UpdateOrganisationRequest
                .newBuilder().setOrganisation(Organisation.newBuilder().setName(org.getName()).setCountry("hk"))
                .setUpdateMask(FieldMask.newBuilder().addPaths("country")).build()));
        assertError(Status.Code.NOT_FOUND, "RESOURCE_NOT_FOUND", () -> identity.updatePerson(UpdatePersonRequest
                .newBuilder().setPerson(Person.newBuilder().setName("persons/" + uniqueId("ghost")).setDisplayName("x"))
                .setUpdateMask(FieldMask.newBuilder().addPaths("display_name")).build()));
    }

    @Test
    void reviewQueueRequestsAreValidated() {
        assertViolations(List.of("state", "subject", "page_size", "page_token"), () -> identity.listScreeningMatches(
                ListScreeningMatchesRequest.newBuilder().setStateValue(42).setSubject("users/x").setPageSize(-1)
                        .setPageToken("garbage").build()));
        assertViolations(List.of("name", "resolution", "reason"), () -> identity.resolveScreeningMatch(
                ResolveScreeningMatchRequest.newBuilder().setName("matches/1").build()));
        assertError(Status.Code.NOT_FOUND, "RESOURCE_NOT_FOUND", () -> as(identity, OFFICER).resolveScreeningMatch(
                ResolveScreeningMatchRequest.newBuilder().setName("screeningMatches/" + uniqueId("none"))
                        .setResolution(ScreeningResolution.SCREENING_RESOLUTION_CLEAR).setReason("x").build()));
    }

    @Test
    void reviewQueuePagesOldestFirst() {
        String base = uniqueId("queue");
        List<String> created = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            created.add(createPerson("Anatoly Viktorovich Petrovsky", null).getName());
        }
        List<String> seen = new java.util.ArrayList<>();
        String token = "";
        do {
            var page = identity.listScreeningMatches(ListScreeningMatchesRequest.newBuilder().setPageSize(2)
                    .setPageToken(token).build());
            page.getScreeningMatchesList().forEach(m -> seen.add(m.getSubject()));
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        List<String> ours = seen.stream().filter(created::contains).toList();
        assertEquals(created, ours, base + ": oldest first, every one once");
    }
}
