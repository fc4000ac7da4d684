package dev.clearance.identity.grpc;

import dev.clearance.api.ApiError;
import dev.clearance.common.v1.AssuranceLevel;
import dev.clearance.common.v1.CallerIdentity;
import dev.clearance.common.v1.CredentialKind;
import dev.clearance.common.v1.ScreeningStatus;
import dev.clearance.common.v1.UsPersonStatus;
import dev.clearance.identity.support.TestClock;
import dev.clearance.identity.v1.ApiKey;
import dev.clearance.identity.v1.CreateApiKeyRequest;
import dev.clearance.identity.v1.CreateApiKeyResponse;
import dev.clearance.identity.v1.IdentityServiceGrpc.IdentityServiceBlockingStub;
import dev.clearance.identity.v1.ImmigrationStatus;
import dev.clearance.identity.v1.Organisation;
import dev.clearance.identity.v1.Person;
import dev.clearance.identity.v1.ResolveCallerRequest;
import dev.clearance.identity.v1.RevokeApiKeyRequest;
import dev.clearance.testing.PostgresTestResource;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.clearance.identity.support.Fixtures.acquired;
import static dev.clearance.identity.support.Fixtures.birth;
import static dev.clearance.identity.support.Fixtures.evidence;
import static dev.clearance.identity.support.Fixtures.organisation;
import static dev.clearance.identity.support.Fixtures.person;
import static dev.clearance.identity.support.Fixtures.record;
import static dev.clearance.identity.support.Fixtures.ts;
import static dev.clearance.identity.support.Fixtures.uniqueId;
import static dev.clearance.identity.support.Grpc.assertError;
import static dev.clearance.identity.support.Grpc.assertViolations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ResolveCaller by API key and by subject; bearer tokens are in {@link BearerTokenTest}. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class ResolveCallerTest {

    @GrpcClient("identity")
    IdentityServiceBlockingStub identity;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private CreateApiKeyResponse createKey(String owner) {
        return identity.createApiKey(CreateApiKeyRequest.newBuilder()
                .setApiKey(ApiKey.newBuilder().setOwner(owner).setDisplayName("ci key")).build());
    }

    private CallerIdentity byKey(String secret) {
        return identity.resolveCaller(ResolveCallerRequest.newBuilder().setApiKey(secret).build()).getCaller();
    }

    private CallerIdentity bySubject(String subject) {
        return identity.resolveCaller(ResolveCallerRequest.newBuilder().setSubject(subject).build()).getCaller();
    }

    @Test
    void personKeyResolvesToThePersonsStoredIdentity() {
        Organisation provider = organisation(identity, "US");
        Person bogdan = person(identity, provider.getName(), null);
        Person verified = record(identity, bogdan, evidence(ImmigrationStatus.IMMIGRATION_STATUS_H1B,
                birth("IN"), acquired("GB", "2012-04-01"))).getPerson();

        CreateApiKeyResponse created = createKey(bogdan.getName());
        ApiKey key = created.getApiKey();
        assertTrue(key.getName().startsWith("apiKeys/"));
        assertEquals(bogdan.getName(), key.getOwner());
        assertTrue(created.getSecret().startsWith("clr_" + key.getPrefix() + "_"), "secret carries the visible prefix");
        assertFalse(key.hasRevokeTime());

        CallerIdentity caller = byKey(created.getSecret());
        assertEquals(bogdan.getName(), caller.getPerson());
        assertEquals(provider.getName(), caller.getOrganisation());
        assertEquals(CredentialKind.CREDENTIAL_KIND_API_KEY, caller.getCredentialKind());
        assertEquals(key.getName(), caller.getApiKey());
        assertEquals(UsPersonStatus.US_PERSON_STATUS_FOREIGN_PERSON, caller.getUsPersonStatus());
        assertEquals(List.of("IN", "GB"), caller.getCitizenshipsList());
        assertEquals("GB", caller.getControllingCountry());
        assertEquals(AssuranceLevel.ASSURANCE_LEVEL_IAL2, caller.getAssuranceLevel());
        assertEquals(ScreeningStatus.SCREENING_STATUS_CLEAR, caller.getScreeningStatus());
        assertEquals(verified.getIdentityRevision(), caller.getIdentityRevision());
        assertTrue(caller.hasVerifyTime() && caller.hasExpireTime());
        assertEquals("", caller.getSubject());
    }

    @Test
    void revokedKeyIsRefused() {
        Person p = person(identity, null, null);
        CreateApiKeyResponse created = createKey(p.getName());
        byKey(created.getSecret());

        ApiKey revoked = identity.revokeApiKey(RevokeApiKeyRequest.newBuilder().setName(created.getApiKey().getName()).build())
                .getApiKey();
        assertTrue(revoked.hasRevokeTime());
        var e = assertError(Status.Code.UNAUTHENTICATED, "API_KEY_REVOKED", () -> byKey(created.getSecret()));
        assertEquals(created.getApiKey().getName(), ApiError.errorInfo(e).orElseThrow().getMetadataOrThrow("api_key"));
        assertError(Status.Code.UNAUTHENTICATED, "API_KEY_REVOKED", () -> bySubject(created.getApiKey().getName()));

        ApiKey again = identity.revokeApiKey(RevokeApiKeyRequest.newBuilder().setName(created.getApiKey().getName()).build())
                .getApiKey();
        assertEquals(revoked.getRevokeTime(), again.getRevokeTime(), "revoking twice keeps the first time");
    }

    @Test
    void expiredKeyIsRefused() {
        Person p = person(identity, null, null);
        CreateApiKeyResponse created = identity.createApiKey(CreateApiKeyRequest.newBuilder()
                .setApiKey(ApiKey.newBuilder().setOwner(p.getName())
                        .setExpireTime(ts(Instant.now().plus(Duration.ofDays(1))))).build());
        assertEquals(p.getName(), byKey(created.getSecret()).getPerson());
        clock.advance(Duration.ofDays(2));
        assertError(Status.Code.UNAUTHENTICATED, "CREDENTIAL_EXPIRED", () -> byKey(created.getSecret()));
    }

    @Test
    void wrongOrMalformedSecretsAreInvalid() {
        Person p = person(identity, null, null);
        CreateApiKeyResponse created = createKey(p.getName());
        String secret = created.getSecret();
        char last = secret.charAt(secret.length() - 1);
        String tampered = secret.substring(0, secret.length() - 1) + (last == 'A' ? 'B' : 'A');
        assertError(Status.Code.UNAUTHENTICATED, "CREDENTIAL_INVALID", () -> byKey(tampered));
        assertError(Status.Code.UNAUTHENTICATED, "CREDENTIAL_INVALID", () -> byKey("clr_zzzzzzzz_" + "A".repeat(43)));
        assertError(Status.Code.UNAUTHENTICATED, "CREDENTIAL_INVALID", () -> byKey("not-a-key"));
        assertError(Status.Code.UNAUTHENTICATED, "CREDENTIAL_MISSING", () -> byKey(""));
        assertViolations(List.of("credential"), () -> identity.resolveCaller(ResolveCallerRequest.getDefaultInstance()));
    }

    @Test
    void organisationKeyIsUnknownWithNoPerson() {
        Organisation meridian = organisation(identity, "IN");
        CreateApiKeyResponse created = createKey(meridian.getName());
        assertEquals(meridian.getName(), created.getApiKey().getOwner());

        CallerIdentity caller = byKey(created.getSecret());
        assertEquals("", caller.getPerson());
        assertEquals(meridian.getName(), caller.getOrganisation());
        assertEquals(UsPersonStatus.US_PERSON_STATUS_UNKNOWN, caller.getUsPersonStatus());
        assertEquals(AssuranceLevel.ASSURANCE_LEVEL_UNSPECIFIED, caller.getAssuranceLevel());
        assertEquals(0, caller.getCitizenshipsCount());
        assertEquals("", caller.getControllingCountry());
        assertEquals(created.getApiKey().getName(), caller.getApiKey());
    }

    @Test
    void resolvesBySubjectWithoutASecret() {
        Person dana = person(identity, null, null);
        record(identity, dana, evidence(ImmigrationStatus.IMMIGRATION_STATUS_NONE, birth("US"), birth("FR")));

        CallerIdentity person = bySubject(dana.getName());
        assertEquals(dana.getName(), person.getPerson());
        assertEquals(CredentialKind.CREDENTIAL_KIND_SUBJECT, person.getCredentialKind());
        assertEquals(UsPersonStatus.US_PERSON_STATUS_US_CITIZEN, person.getUsPersonStatus());
        assertEquals(List.of("US", "FR"), person.getCitizenshipsList());

        CreateApiKeyResponse key = createKey(dana.getName());
        CallerIdentity viaKey = bySubject(key.getApiKey().getName());
        assertEquals(dana.getName(), viaKey.getPerson());
        assertEquals(key.getApiKey().getName(), viaKey.getApiKey());
        assertEquals(CredentialKind.CREDENTIAL_KIND_SUBJECT, viaKey.getCredentialKind());

        assertError(Status.Code.NOT_FOUND, "RESOURCE_NOT_FOUND", () -> bySubject("persons/" + uniqueId("ghost")));
        assertError(Status.Code.NOT_FOUND, "RESOURCE_NOT_FOUND", () -> bySubject("apiKeys/0000000000000000"));
        assertViolations(List.of("subject"), () -> bySubject("organisations/acme"));
    }

    @Test
    void keyForAMissingOwnerOrWithBadFieldsIsRejected() {
        assertViolations(List.of("api_key.owner"), () -> createKey("persons/" + uniqueId("ghost")));
        assertViolations(List.of("api_key.owner"), () -> createKey("organisations/" + uniqueId("ghost")));
        assertViolations(List.of("api_key.owner", "api_key.expire_time"), () -> identity.createApiKey(
                CreateApiKeyRequest.newBuilder().setApiKey(ApiKey.newBuilder().setOwner("users/x")
                        .setExpireTime(ts(Instant.now().minusSeconds(5)))).build()));
        assertError(Status.Code.NOT_FOUND, "RESOURCE_NOT_FOUND", () -> identity.revokeApiKey(
                RevokeApiKeyRequest.newBuilder().setName("apiKeys/0000000000000000").build()));
    }
}
