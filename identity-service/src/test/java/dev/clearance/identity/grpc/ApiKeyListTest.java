package dev.clearance.identity.grpc;

import dev.clearance.common.v1.UsPersonStatus;
import dev.clearance.identity.domain.ApiKeySecret;
import dev.clearance.identity.support.TestClock;
import dev.clearance.identity.v1.ApiKey;
import dev.clearance.identity.v1.ApiKeyState;
import dev.clearance.identity.v1.CreateApiKeyRequest;
import dev.clearance.identity.v1.CreateApiKeyResponse;
import dev.clearance.identity.v1.IdentityServiceGrpc.IdentityServiceBlockingStub;
import dev.clearance.identity.v1.ImmigrationStatus;
import dev.clearance.identity.v1.ListApiKeysRequest;
import dev.clearance.identity.v1.ListApiKeysResponse;
import dev.clearance.identity.v1.Organisation;
import dev.clearance.identity.v1.Person;
import dev.clearance.identity.v1.RevokeApiKeyRequest;
import dev.clearance.identity.v1.StreamPopulationRequest;
import dev.clearance.identity.v1.StreamPopulationResponse;
import dev.clearance.testing.PostgresTestResource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static dev.clearance.identity.support.Fixtures.birth;
import static dev.clearance.identity.support.Fixtures.evidence;
import static dev.clearance.identity.support.Fixtures.organisation;
import static dev.clearance.identity.support.Fixtures.person;
import static dev.clearance.identity.support.Fixtures.record;
import static dev.clearance.identity.support.Fixtures.ts;
import static dev.clearance.identity.support.Grpc.assertViolations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ListApiKeys (filters, paging, revoked, state, never a secret) and StreamPopulation (everyone
 * the impact preview evaluates: organisations, persons as derived now, active keys only).
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class ApiKeyListTest {

    @GrpcClient("identity")
    IdentityServiceBlockingStub identity;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private CreateApiKeyResponse key(String owner) {
        return identity.createApiKey(CreateApiKeyRequest.newBuilder()
                .setApiKey(ApiKey.newBuilder().setOwner(owner).setDisplayName("ci")).build());
    }

    /** Every page of a listing, asserting each page's size bound. */
    private List<ApiKey> all(ListApiKeysRequest.Builder request, int pageSize) {
        List<ApiKey> out = new ArrayList<>();
        String token = "";
        do {
            ListApiKeysResponse page = identity.listApiKeys(request.setPageSize(pageSize).setPageToken(token).build());
            assertTrue(page.getApiKeysCount() <= pageSize, "page of " + page.getApiKeysCount());
            out.addAll(page.getApiKeysList());
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        return out;
    }

    private static List<String> names(List<ApiKey> keys) {
        return keys.stream().map(ApiKey::getName).toList();
    }

    private static List<String> sorted(String... names) {
        return java.util.Arrays.stream(names).sorted().toList();
    }

    @Test
    void keysAreListedByPersonAndOrganisationInPagesWithStateAndNeverASecret() {
        Organisation org = organisation(identity, "US");
        Person alice = person(identity, org.getName(), null);
        Person bob = person(identity, org.getName(), null);
        Person outsider = person(identity, null, null);
        CreateApiKeyResponse alice1 = key(alice.getName());
        CreateApiKeyResponse alice2 = key(alice.getName());
        CreateApiKeyResponse bobs = key(bob.getName());
        CreateApiKeyResponse orgWide = key(org.getName());
        CreateApiKeyResponse outsiders = key(outsider.getName());
        identity.revokeApiKey(RevokeApiKeyRequest.newBuilder().setName(alice2.getApiKey().getName()).build());

        // The organisation's keys: organisation-wide and its members', revoked left out, in name order.
        List<ApiKey> ofOrg = all(ListApiKeysRequest.newBuilder().setOrganisation(org.getName()), 1);
        assertEquals(sorted(alice1.getApiKey().getName(), bobs.getApiKey().getName(), orgWide.getApiKey().getName()),
                names(ofOrg));
        Map<String, ApiKey> byName = ofOrg.stream().collect(Collectors.toMap(ApiKey::getName, Function.identity()));
        assertEquals(org.getName(), byName.get(orgWide.getApiKey().getName()).getOwner());
        assertEquals(alice.getName(), byName.get(alice1.getApiKey().getName()).getOwner());
        for (ApiKey k : ofOrg) {
            assertEquals(ApiKeyState.API_KEY_STATE_ACTIVE, k.getState(), k.getName());
            assertEquals(8, k.getPrefix().length(), k.getName());
        }

        // Revoked ones on request, with their state.
        List<ApiKey> withRevoked = all(ListApiKeysRequest.newBuilder().setOrganisation(org.getName()).setShowRevoked(true), 2);
        assertEquals(sorted(alice1.getApiKey().getName(), alice2.getApiKey().getName(), bobs.getApiKey().getName(),
                orgWide.getApiKey().getName()), names(withRevoked));
        assertEquals(ApiKeyState.API_KEY_STATE_REVOKED, withRevoked.stream()
                .filter(k -> k.getName().equals(alice2.getApiKey().getName())).findFirst().orElseThrow().getState());

        // By person; both filters must hold.
        assertEquals(List.of(alice1.getApiKey().getName()), names(all(ListApiKeysRequest.newBuilder()
                .setPerson(alice.getName()), 50)));
        assertEquals(sorted(alice1.getApiKey().getName(), alice2.getApiKey().getName()), names(all(ListApiKeysRequest
                .newBuilder().setPerson(alice.getName()).setShowRevoked(true), 50)));
        assertEquals(List.of(outsiders.getApiKey().getName()), names(all(ListApiKeysRequest.newBuilder()
                .setPerson(outsider.getName()), 50)));
        assertEquals(List.of(), names(all(ListApiKeysRequest.newBuilder().setPerson(outsider.getName())
                .setOrganisation(org.getName()), 50)));
        assertEquals(List.of(alice1.getApiKey().getName()), names(all(ListApiKeysRequest.newBuilder()
                .setPerson(alice.getName()).setOrganisation(org.getName()), 50)));

        // No secret and no hash of one, anywhere in a response.
        byte[] response = identity.listApiKeys(ListApiKeysRequest.newBuilder().setOrganisation(org.getName())
                .setShowRevoked(true).build()).toByteArray();
        String text = new String(response, StandardCharsets.ISO_8859_1);
        for (CreateApiKeyResponse created : List.of(alice1, alice2, bobs, orgWide)) {
            String secret = created.getSecret();
            assertFalse(text.contains(secret.substring(secret.lastIndexOf('_') + 1)), "secret of " + created.getApiKey().getName());
            assertFalse(text.contains(ApiKeySecret.parse(secret).orElseThrow().hash()), "hash of " + created.getApiKey().getName());
        }
    }

    @Test
    void anExpiredKeyIsListedAsExpired() {
        Person p = person(identity, null, null);
        ApiKey k = identity.createApiKey(CreateApiKeyRequest.newBuilder().setApiKey(ApiKey.newBuilder()
                .setOwner(p.getName()).setDisplayName("short").setExpireTime(ts(Instant.now().plus(Duration.ofHours(1)))))
                .build()).getApiKey();
        assertEquals(ApiKeyState.API_KEY_STATE_ACTIVE, all(ListApiKeysRequest.newBuilder().setPerson(p.getName()), 50)
                .get(0).getState());
        clock.advance(Duration.ofHours(2));
        List<ApiKey> listed = all(ListApiKeysRequest.newBuilder().setPerson(p.getName()), 50);
        assertEquals(List.of(k.getName()), names(listed));
        assertEquals(ApiKeyState.API_KEY_STATE_EXPIRED, listed.get(0).getState());
    }

    @Test
    void badFiltersAndPagingAreRefusedFieldByField() {
        assertViolations(List.of("person", "organisation", "page_size", "page_token"), () -> identity.listApiKeys(
                ListApiKeysRequest.newBuilder().setPerson("people/x").setOrganisation("organisations/Not_An_Id")
                        .setPageSize(-1).setPageToken("not-a-token").build()));
        // A token of another list is not a token of this one.
        String personsToken = identity.listPersons(dev.clearance.identity.v1.ListPersonsRequest.newBuilder()
                .setPageSize(1).build()).getNextPageToken();
        if (!personsToken.isEmpty()) {
            assertViolations(List.of("page_token"), () -> identity.listApiKeys(ListApiKeysRequest.newBuilder()
                    .setPageToken(personsToken).build()));
        }
        assertViolations(List.of("batch_size"), () -> identity.streamPopulation(StreamPopulationRequest.newBuilder()
                .setBatchSize(-1).build()).hasNext());
    }

    @Test
    void thePopulationStreamsOrganisationsThenPersonsThenActiveKeysInBatches() {
        Organisation org = organisation(identity, "US");
        Person citizen = person(identity, org.getName(), null);
        record(identity, citizen, evidence(ImmigrationStatus.IMMIGRATION_STATUS_NONE, birth("US")));
        Person foreign = person(identity, org.getName(), null);
        record(identity, foreign, evidence(ImmigrationStatus.IMMIGRATION_STATUS_NONE, birth("CN")));
        Person lapsing = person(identity, null, null);
        record(identity, lapsing, evidence(ImmigrationStatus.IMMIGRATION_STATUS_NONE, birth("US"))
                .setExpireTime(ts(Instant.now().plus(Duration.ofHours(1)))));
        CreateApiKeyResponse citizenKey = key(citizen.getName());
        CreateApiKeyResponse orgKey = key(org.getName());
        CreateApiKeyResponse revoked = key(foreign.getName());
        identity.revokeApiKey(RevokeApiKeyRequest.newBuilder().setName(revoked.getApiKey().getName()).build());
        // The lapsing person's evidence has expired when the stream reads them: derived again, UNKNOWN.
        clock.advance(Duration.ofHours(2));

        List<StreamPopulationResponse> messages = new ArrayList<>();
        Iterator<StreamPopulationResponse> stream = identity.streamPopulation(StreamPopulationRequest.newBuilder()
                .setBatchSize(2).build());
        stream.forEachRemaining(messages::add);

        // Each message one kind, at most a batch; organisations, then persons, then keys; each in name order.
        int phase = 0;
        List<String> orgs = new ArrayList<>();
        List<Person> persons = new ArrayList<>();
        List<ApiKey> keys = new ArrayList<>();
        for (StreamPopulationResponse m : messages) {
            int kinds = (m.getOrganisationsCount() > 0 ? 1 : 0) + (m.getPersonsCount() > 0 ? 1 : 0)
                    + (m.getApiKeysCount() > 0 ? 1 : 0);
            assertEquals(1, kinds, "one kind per message: " + m);
            int size = m.getOrganisationsCount() + m.getPersonsCount() + m.getApiKeysCount();
            assertTrue(size <= 2, "batch of " + size);
            int thisPhase = m.getOrganisationsCount() > 0 ? 0 : m.getPersonsCount() > 0 ? 1 : 2;
            assertTrue(thisPhase >= phase, "organisations, then persons, then keys");
            phase = thisPhase;
            m.getOrganisationsList().forEach(o -> orgs.add(o.getName()));
            persons.addAll(m.getPersonsList());
            keys.addAll(m.getApiKeysList());
        }
        assertEquals(orgs.stream().sorted().toList(), orgs);
        assertEquals(persons.stream().map(Person::getName).sorted().toList(), persons.stream().map(Person::getName).toList());
        assertEquals(names(keys).stream().sorted().toList(), names(keys));
        assertTrue(orgs.contains(org.getName()));

        Map<String, Person> byName = persons.stream().collect(Collectors.toMap(Person::getName, Function.identity()));
        Person c = byName.get(citizen.getName());
        assertEquals(UsPersonStatus.US_PERSON_STATUS_US_CITIZEN, c.getUsPersonStatus());
        assertEquals(org.getName(), c.getOrganisation());
        assertTrue(c.hasVerifyTime(), "the deciding evidence's verification time is sent");
        Person f = byName.get(foreign.getName());
        assertEquals(UsPersonStatus.US_PERSON_STATUS_FOREIGN_PERSON, f.getUsPersonStatus());
        assertEquals("CN", f.getControllingCountry());
        assertEquals(List.of("CN"), f.getCitizenshipsList().stream().map(x -> x.getCountry()).toList());
        assertEquals(UsPersonStatus.US_PERSON_STATUS_UNKNOWN, byName.get(lapsing.getName()).getUsPersonStatus());

        List<String> keyNames = names(keys);
        assertTrue(keyNames.contains(citizenKey.getApiKey().getName()));
        assertTrue(keyNames.contains(orgKey.getApiKey().getName()));
        assertFalse(keyNames.contains(revoked.getApiKey().getName()), "a revoked key is no caller");
        ApiKey ok = keys.stream().filter(k -> k.getName().equals(orgKey.getApiKey().getName())).findFirst().orElseThrow();
        assertEquals(org.getName(), ok.getOwner());
        assertEquals(orgKey.getApiKey().getPrefix(), ok.getPrefix());
    }
}
