package dev.clearance.identity.grpc;

import dev.clearance.api.ApiError;
import dev.clearance.common.v1.AssuranceLevel;
import dev.clearance.common.v1.UsPersonStatus;
import dev.clearance.identity.v1.CreateOrganisationRequest;
import dev.clearance.identity.v1.CreatePersonRequest;
import dev.clearance.identity.v1.GetOrganisationRequest;
import dev.clearance.identity.v1.GetPersonRequest;
import dev.clearance.identity.v1.IdentityServiceGrpc.IdentityServiceBlockingStub;
import dev.clearance.identity.v1.ListOrganisationsRequest;
import dev.clearance.identity.v1.ListOrganisationsResponse;
import dev.clearance.identity.v1.ListPersonsRequest;
import dev.clearance.identity.v1.ListPersonsResponse;
import dev.clearance.identity.v1.Organisation;
import dev.clearance.identity.v1.Person;
import dev.clearance.testing.PostgresTestResource;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.clearance.identity.support.Fixtures.organisation;
import static dev.clearance.identity.support.Fixtures.person;
import static dev.clearance.identity.support.Fixtures.uniqueId;
import static dev.clearance.identity.support.Grpc.assertError;
import static dev.clearance.identity.support.Grpc.assertViolations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class OrganisationAndPersonTest {

    @GrpcClient("identity")
    IdentityServiceBlockingStub identity;

    @Test
    void createsAndGetsAnOrganisation() {
        String id = uniqueId("acme");
        Organisation created = identity.createOrganisation(CreateOrganisationRequest.newBuilder()
                .setOrganisationId(id)
                .setOrganisation(Organisation.newBuilder().setDisplayName("  Acme Ltd ").setCountry("GB")
                        .setName("organisations/ignored-output-only"))
                .build()).getOrganisation();
        assertEquals("organisations/" + id, created.getName());
        assertEquals("Acme Ltd", created.getDisplayName());
        assertEquals("GB", created.getCountry());
        assertTrue(created.hasCreateTime());

        Organisation read = identity.getOrganisation(GetOrganisationRequest.newBuilder().setName(created.getName()).build())
                .getOrganisation();
        assertEquals(created, read);
    }

    @Test
    void duplicateOrganisationIsAlreadyExists() {
        Organisation org = organisation(identity, "US");
        String id = org.getName().substring("organisations/".length());
        var e = assertError(Status.Code.ALREADY_EXISTS, "RESOURCE_ALREADY_EXISTS", () -> identity.createOrganisation(
                CreateOrganisationRequest.newBuilder().setOrganisationId(id)
                        .setOrganisation(Organisation.newBuilder().setDisplayName("Other").setCountry("FR")).build()));
        assertEquals(org.getName(), ApiError.errorInfo(e).orElseThrow().getMetadataOrThrow("resource"));
        assertEquals("US", identity.getOrganisation(GetOrganisationRequest.newBuilder().setName(org.getName()).build())
                .getOrganisation().getCountry(), "the original is untouched");
    }

    @Test
    void invalidOrganisationReportsEveryFieldAndStoresNothing() {
        assertViolations(List.of("organisation_id", "organisation.display_name", "organisation.country"),
                () -> identity.createOrganisation(CreateOrganisationRequest.newBuilder()
                        .setOrganisationId("Bad_Id")
                        .setOrganisation(Organisation.newBuilder().setDisplayName(" ").setCountry("gb"))
                        .build()));
        String id = uniqueId("nocountry");
        assertViolations(List.of("organisation.country"), () -> identity.createOrganisation(
                CreateOrganisationRequest.newBuilder().setOrganisationId(id)
                        .setOrganisation(Organisation.newBuilder().setDisplayName("X").setCountry("XX")).build()));
        assertError(Status.Code.NOT_FOUND, "RESOURCE_NOT_FOUND", () -> identity.getOrganisation(
                GetOrganisationRequest.newBuilder().setName("organisations/" + id).build()));
    }

    @Test
    void createsAPersonWhoStartsUnknown() {
        Organisation org = organisation(identity, "US");
        String id = uniqueId("alice");
        Person created = identity.createPerson(CreatePersonRequest.newBuilder()
                .setPersonId(id)
                .setPerson(Person.newBuilder().setDisplayName("Alice").setOrganisation(org.getName())
                        .setSubject("kc-" + id)
                        // output-only fields a client tries to set are ignored
                        .setUsPersonStatus(UsPersonStatus.US_PERSON_STATUS_US_CITIZEN)
                        .setAssuranceLevel(AssuranceLevel.ASSURANCE_LEVEL_IAL3)
                        .setIdentityRevision(99))
                .build()).getPerson();
        assertEquals("persons/" + id, created.getName());
        assertEquals(org.getName(), created.getOrganisation());
        assertEquals("kc-" + id, created.getSubject());
        assertEquals(UsPersonStatus.US_PERSON_STATUS_UNKNOWN, created.getUsPersonStatus());
        assertEquals(AssuranceLevel.ASSURANCE_LEVEL_UNSPECIFIED, created.getAssuranceLevel());
        assertEquals(1, created.getIdentityRevision());
        assertEquals(0, created.getCitizenshipsCount());

        Person read = identity.getPerson(GetPersonRequest.newBuilder().setName(created.getName()).build()).getPerson();
        assertEquals(created, read);
    }

    @Test
    void duplicatePersonIdOrSubjectIsAlreadyExists() {
        Person first = person(identity, null, uniqueId("kc"));
        String id = first.getName().substring("persons/".length());
        assertError(Status.Code.ALREADY_EXISTS, "RESOURCE_ALREADY_EXISTS", () -> identity.createPerson(
                CreatePersonRequest.newBuilder().setPersonId(id)
                        .setPerson(Person.newBuilder().setDisplayName("Again")).build()));
        String other = uniqueId("p");
        var e = assertError(Status.Code.ALREADY_EXISTS, "RESOURCE_ALREADY_EXISTS", () -> identity.createPerson(
                CreatePersonRequest.newBuilder().setPersonId(other)
                        .setPerson(Person.newBuilder().setDisplayName("Same login").setSubject(first.getSubject())).build()));
        assertEquals(first.getSubject(), ApiError.errorInfo(e).orElseThrow().getMetadataOrThrow("subject"));
        assertError(Status.Code.NOT_FOUND, "RESOURCE_NOT_FOUND",
                () -> identity.getPerson(GetPersonRequest.newBuilder().setName("persons/" + other).build()));
    }

    @Test
    void invalidPersonReportsEveryFieldAndStoresNothing() {
        assertViolations(List.of("person_id", "person.display_name", "person.organisation", "person.subject"),
                () -> identity.createPerson(CreatePersonRequest.newBuilder()
                        .setPersonId("-bad-")
                        .setPerson(Person.newBuilder().setDisplayName("")
                                .setOrganisation("orgs/acme").setSubject("has space"))
                        .build()));
    }

    @Test
    void personInAMissingOrganisationIsRejectedAndNotStored() {
        String id = uniqueId("p");
        assertViolations(List.of("person.organisation"), () -> identity.createPerson(CreatePersonRequest.newBuilder()
                .setPersonId(id)
                .setPerson(Person.newBuilder().setDisplayName("Lost").setOrganisation("organisations/" + uniqueId("none")))
                .build()));
        assertError(Status.Code.NOT_FOUND, "RESOURCE_NOT_FOUND",
                () -> identity.getPerson(GetPersonRequest.newBuilder().setName("persons/" + id).build()));
    }

    @Test
    void getWithMalformedNameIsInvalidArgument() {
        assertViolations(List.of("name"), () -> identity.getPerson(GetPersonRequest.newBuilder().setName("alice").build()));
        assertViolations(List.of("name"), () -> identity.getOrganisation(
                GetOrganisationRequest.newBuilder().setName("persons/alice").build()));
    }

    @Test
    void listsPersonsPageByPage() {
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            created.add(person(identity, null, null).getName());
        }
        List<String> seen = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListPersonsResponse page = identity.listPersons(ListPersonsRequest.newBuilder().setPageSize(2).setPageToken(token).build());
            assertTrue(page.getPersonsCount() <= 2);
            page.getPersonsList().forEach(p -> seen.add(p.getName()));
            token = page.getNextPageToken();
            pages++;
        } while (!token.isEmpty() && pages < 1000);
        assertTrue(seen.containsAll(created), "every person is listed once paging ends");
        assertEquals(seen.size(), new HashSet<>(seen).size(), "no person is listed twice");
        assertEquals(seen.stream().sorted().toList(), seen, "stable order by id");
    }

    @Test
    void listsOrganisationsAndRejectsForeignPageTokens() {
        organisation(identity, "US");
        organisation(identity, "DE");
        ListOrganisationsResponse first = identity.listOrganisations(ListOrganisationsRequest.newBuilder().setPageSize(1).build());
        assertEquals(1, first.getOrganisationsCount());
        assertTrue(!first.getNextPageToken().isEmpty());
        ListOrganisationsResponse second = identity.listOrganisations(ListOrganisationsRequest.newBuilder()
                .setPageSize(1).setPageToken(first.getNextPageToken()).build());
        assertTrue(first.getOrganisations(0).getName().compareTo(second.getOrganisations(0).getName()) < 0);

        // a token from the organisation list is not one of the person list, and garbage is rejected
        assertViolations(List.of("page_token"), () -> identity.listPersons(
                ListPersonsRequest.newBuilder().setPageToken(first.getNextPageToken()).build()));
        assertViolations(List.of("page_size", "page_token"), () -> identity.listOrganisations(
                ListOrganisationsRequest.newBuilder().setPageSize(-1).setPageToken("%%%").build()));
    }
}
