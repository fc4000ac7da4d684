package dev.clearance.identity.grpc;

import dev.clearance.common.v1.CallerIdentity;
import dev.clearance.common.v1.CredentialKind;
import dev.clearance.common.v1.UsPersonStatus;
import dev.clearance.identity.support.TestRealm;
import dev.clearance.identity.v1.IdentityServiceGrpc.IdentityServiceBlockingStub;
import dev.clearance.identity.v1.ImmigrationStatus;
import dev.clearance.identity.v1.Person;
import dev.clearance.identity.v1.ResolveCallerRequest;
import dev.clearance.testing.PostgresTestResource;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static dev.clearance.identity.support.Fixtures.birth;
import static dev.clearance.identity.support.Fixtures.evidence;
import static dev.clearance.identity.support.Fixtures.person;
import static dev.clearance.identity.support.Fixtures.record;
import static dev.clearance.identity.support.Fixtures.uniqueId;
import static dev.clearance.identity.support.Grpc.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Token validation against a realm key the test controls (Keycloak itself is exercised end to end in the suite). */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class BearerTokenTest {

    @GrpcClient("identity")
    IdentityServiceBlockingStub identity;

    @Inject
    TestRealm realm;

    private CallerIdentity resolve(String token) {
        return identity.resolveCaller(ResolveCallerRequest.newBuilder().setBearerToken(token).build()).getCaller();
    }

    private void assertRejected(String reason, String token) {
        assertError(Status.Code.UNAUTHENTICATED, reason, () -> resolve(token));
    }

    @Test
    void validTokenResolvesToThePersonLinkedToItsSubject() {
        String subject = uniqueId("kc");
        Person alice = person(identity, null, subject);
        record(identity, alice, evidence(ImmigrationStatus.IMMIGRATION_STATUS_NONE, birth("US")));

        CallerIdentity caller = resolve(realm.sign(realm.claims(subject, Instant.now())));
        assertEquals(alice.getName(), caller.getPerson());
        assertEquals(CredentialKind.CREDENTIAL_KIND_BEARER_TOKEN, caller.getCredentialKind());
        assertEquals(subject, caller.getSubject());
        assertEquals(UsPersonStatus.US_PERSON_STATUS_US_CITIZEN, caller.getUsPersonStatus());
    }

    @Test
    void claimsAssertingNationalityOrStatusAreIgnored() {
        String subject = uniqueId("kc");
        Person bogdan = person(identity, null, subject);
        record(identity, bogdan, evidence(ImmigrationStatus.IMMIGRATION_STATUS_H1B, birth("IN")));

        JwtClaims claims = realm.claims(subject, Instant.now());
        claims.setClaim("us_person_status", "US_PERSON_STATUS_US_CITIZEN");
        claims.setClaim("citizenships", List.of("US"));
        claims.setClaim("nationality", "US");
        claims.setClaim("controlling_country", "");
        claims.setClaim("assurance_level", "ASSURANCE_LEVEL_IAL3");
        claims.setClaim("person", "persons/someone-else");
        CallerIdentity caller = resolve(realm.sign(claims));
        assertEquals(bogdan.getName(), caller.getPerson());
        assertEquals(UsPersonStatus.US_PERSON_STATUS_FOREIGN_PERSON, caller.getUsPersonStatus());
        assertEquals(List.of("IN"), caller.getCitizenshipsList());
        assertEquals("IN", caller.getControllingCountry());
    }

    @Test
    void forgedSignatureIsInvalid() {
        String subject = uniqueId("kc");
        person(identity, null, subject);
        assertRejected("CREDENTIAL_INVALID", realm.signByForger(realm.claims(subject, Instant.now())));
    }

    @Test
    void keyUnknownToTheRealmIsInvalid() {
        String subject = uniqueId("kc");
        person(identity, null, subject);
        assertRejected("CREDENTIAL_INVALID", realm.signWithUnknownKey(realm.claims(subject, Instant.now())));
    }

    @Test
    void wrongIssuerIsInvalid() {
        String subject = uniqueId("kc");
        person(identity, null, subject);
        JwtClaims claims = realm.claims(subject, Instant.now());
        claims.setIssuer("https://evil.test/realms/clearance");
        assertRejected("CREDENTIAL_INVALID", realm.sign(claims));
    }

    @Test
    void wrongAudienceIsInvalid() {
        String subject = uniqueId("kc");
        person(identity, null, subject);
        JwtClaims claims = realm.claims(subject, Instant.now());
        claims.setAudience("account");
        assertRejected("CREDENTIAL_INVALID", realm.sign(claims));
    }

    @Test
    void expiredTokenIsExpired() {
        String subject = uniqueId("kc");
        person(identity, null, subject);
        Instant anHourAgo = Instant.now().minusSeconds(3600);
        JwtClaims claims = realm.claims(subject, anHourAgo);
        assertRejected("CREDENTIAL_EXPIRED", realm.sign(claims));
        // a forged expired token is reported as invalid, not expired: the signature is checked first
        assertRejected("CREDENTIAL_INVALID", realm.signByForger(claims));
    }

    @Test
    void tokenWithoutExpiryIsInvalid() {
        String subject = uniqueId("kc");
        person(identity, null, subject);
        JwtClaims claims = realm.claims(subject, Instant.now());
        claims.unsetClaim("exp");
        assertRejected("CREDENTIAL_INVALID", realm.sign(claims));
    }

    @Test
    void nonAccessTokenIsInvalid() {
        String subject = uniqueId("kc");
        person(identity, null, subject);
        JwtClaims claims = realm.claims(subject, Instant.now());
        claims.setClaim("typ", "ID");
        assertRejected("CREDENTIAL_INVALID", realm.sign(claims));
    }

    @Test
    void malformedAndUnsignedTokensAreInvalid() {
        assertRejected("CREDENTIAL_INVALID", "not-a-jwt");
        assertRejected("CREDENTIAL_INVALID", "a.b.c");
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\"}".getBytes());
        String payload = b64.encodeToString(("{\"iss\":\"" + TestRealm.ISSUER + "\",\"aud\":\"clearance-api\",\"sub\":\"x\",\"exp\":"
                + NumericDate.now().getValue() + 300 + "}").getBytes());
        assertRejected("CREDENTIAL_INVALID", header + "." + payload + ".");
        assertRejected("CREDENTIAL_MISSING", "");
    }

    @Test
    void validTokenForNoPersonIsCallerUnknown() {
        assertRejected("CALLER_UNKNOWN", realm.sign(realm.claims(uniqueId("kc-nobody"), Instant.now())));
    }

    @Test
    void realmKeysAreCachedAcrossRequests() {
        String subject = uniqueId("kc");
        person(identity, null, subject);
        resolve(realm.sign(realm.claims(subject, Instant.now())));
        int fetches = realm.jwksRequests();
        for (int i = 0; i < 5; i++) {
            resolve(realm.sign(realm.claims(subject, Instant.now())));
        }
        assertEquals(fetches, realm.jwksRequests(), "no JWKS fetch for tokens signed by a known key");
    }
}
