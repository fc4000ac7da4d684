package dev.clearance.identity.grpc;

import dev.clearance.common.v1.AssuranceLevel;
import dev.clearance.common.v1.UsPersonStatus;
import dev.clearance.identity.support.TestClock;
import dev.clearance.identity.v1.Citizenship;
import dev.clearance.identity.v1.GetPersonRequest;
import dev.clearance.identity.v1.IdentityServiceGrpc.IdentityServiceBlockingStub;
import dev.clearance.identity.v1.ImmigrationStatus;
import dev.clearance.identity.v1.Person;
import dev.clearance.identity.v1.RecordVerificationRequest;
import dev.clearance.identity.v1.RecordVerificationResponse;
import dev.clearance.identity.v1.Verification;
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
import static dev.clearance.identity.support.Fixtures.person;
import static dev.clearance.identity.support.Fixtures.record;
import static dev.clearance.identity.support.Fixtures.ts;
import static dev.clearance.identity.support.Fixtures.uniqueId;
import static dev.clearance.identity.support.Grpc.assertError;
import static dev.clearance.identity.support.Grpc.assertViolations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class VerificationTest {

    @GrpcClient("identity")
    IdentityServiceBlockingStub identity;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private Person get(Person p) {
        return identity.getPerson(GetPersonRequest.newBuilder().setName(p.getName()).build()).getPerson();
    }

    @Test
    void naturalisationTurnsAForeignPersonIntoAUsCitizenAndBumpsTheRevision() {
        Person bogdan = person(identity, null, null);
        RecordVerificationResponse h1b = record(identity, bogdan, evidence(ImmigrationStatus.IMMIGRATION_STATUS_H1B, birth("IN")));
        Person foreign = h1b.getPerson();
        assertEquals(UsPersonStatus.US_PERSON_STATUS_FOREIGN_PERSON, foreign.getUsPersonStatus());
        assertEquals("IN", foreign.getControllingCountry());
        assertEquals(AssuranceLevel.ASSURANCE_LEVEL_IAL2, foreign.getAssuranceLevel());
        assertEquals(h1b.getVerification().getName(), foreign.getDecidingVerification());
        assertTrue(h1b.getVerification().getName().startsWith(bogdan.getName() + "/verifications/"));
        assertEquals(bogdan.getIdentityRevision() + 1, foreign.getIdentityRevision());

        Instant now = Instant.now();
        RecordVerificationResponse naturalised = record(identity, bogdan, evidence(ImmigrationStatus.IMMIGRATION_STATUS_NONE,
                birth("IN"), acquired("US", "2026-01-15")).setVerifyTime(ts(now.minusSeconds(60))));
        Person citizen = naturalised.getPerson();
        assertEquals(UsPersonStatus.US_PERSON_STATUS_US_CITIZEN, citizen.getUsPersonStatus());
        assertEquals("", citizen.getControllingCountry());
        assertEquals(List.of(birth("IN"), acquired("US", "2026-01-15")), citizen.getCitizenshipsList());
        assertEquals(naturalised.getVerification().getName(), citizen.getDecidingVerification());
        assertTrue(citizen.getIdentityRevision() > foreign.getIdentityRevision(), "status change bumps the revision");

        assertEquals(citizen, get(bogdan), "what was returned is what is stored");
    }

    @Test
    void recordingEvidenceBumpsTheRevisionEvenWhenTheStatusStays() {
        Person alice = person(identity, null, null);
        Person first = record(identity, alice, evidence(ImmigrationStatus.IMMIGRATION_STATUS_NONE, birth("US"))).getPerson();
        Person second = record(identity, alice, evidence(ImmigrationStatus.IMMIGRATION_STATUS_NONE, birth("US"))
                .setAssuranceLevel(AssuranceLevel.ASSURANCE_LEVEL_IAL3)).getPerson();
        assertEquals(UsPersonStatus.US_PERSON_STATUS_US_CITIZEN, second.getUsPersonStatus());
        assertEquals(AssuranceLevel.ASSURANCE_LEVEL_IAL3, second.getAssuranceLevel());
        assertEquals(first.getIdentityRevision() + 1, second.getIdentityRevision());
    }

    @Test
    void expiredDecidingEvidenceMakesThePersonUnknownOnTheNextRead() {
        Person chen = person(identity, null, null);
        Instant now = Instant.now();
        Person lpr = record(identity, chen, evidence(ImmigrationStatus.IMMIGRATION_STATUS_LAWFUL_PERMANENT_RESIDENT, birth("CN"))
                .setExpireTime(ts(now.plus(Duration.ofDays(1))))).getPerson();
        assertEquals(UsPersonStatus.US_PERSON_STATUS_LAWFUL_PERMANENT_RESIDENT, lpr.getUsPersonStatus());
        assertEquals(lpr, get(chen), "nothing changes before expiry");

        clock.advance(Duration.ofDays(2));
        Person expired = get(chen);
        assertEquals(UsPersonStatus.US_PERSON_STATUS_UNKNOWN, expired.getUsPersonStatus());
        assertEquals(AssuranceLevel.ASSURANCE_LEVEL_UNSPECIFIED, expired.getAssuranceLevel());
        assertEquals("", expired.getDecidingVerification());
        assertEquals(0, expired.getCitizenshipsCount());
        assertEquals(lpr.getIdentityRevision() + 1, expired.getIdentityRevision());
        assertEquals(expired, get(chen), "recomputed once, then stable");
    }

    @Test
    void invalidEvidenceReportsEveryProblemAndStoresNothing() {
        Person dana = person(identity, null, null);
        Instant now = Instant.now();
        Verification.Builder bad = Verification.newBuilder()
                .addCitizenships(Citizenship.newBuilder().setCountry("us"))
                .addCitizenships(Citizenship.newBuilder().setCountry("FR").setAcquireDate("2015-13-01"))
                .addCitizenships(Citizenship.newBuilder().setCountry("ZZ").setAcquireDate("12/01/2015"))
                .setVerifyTime(ts(now.plus(Duration.ofDays(1))))
                .setExpireTime(ts(now));
        assertViolations(List.of(
                        "verification.citizenships[0].country",
                        "verification.citizenships[1].acquire_date",
                        "verification.citizenships[2].country",
                        "verification.citizenships[2].acquire_date",
                        "verification.assurance_level",
                        "verification.verify_time",
                        "verification.expire_time"),
                () -> identity.recordVerification(RecordVerificationRequest.newBuilder()
                        .setParent(dana.getName()).setVerification(bad).build()));
        assertEquals(dana, get(dana), "no status change, no revision bump");

        assertViolations(List.of("parent", "verification.citizenships", "verification.assurance_level",
                        "verification.verify_time", "verification.expire_time"),
                () -> identity.recordVerification(RecordVerificationRequest.newBuilder().setParent("dana").build()));
        // the evidence does not count and nothing was kept: a valid record afterwards is the first and only one
        Person after = record(identity, dana, evidence(ImmigrationStatus.IMMIGRATION_STATUS_NONE, birth("US"))).getPerson();
        assertEquals(dana.getIdentityRevision() + 1, after.getIdentityRevision());
    }

    @Test
    void expiryBeforeVerificationAndMissingTimesAreRejected() {
        Person p = person(identity, null, null);
        Instant now = Instant.now();
        assertViolations(List.of("verification.expire_time"), () -> record(identity, p,
                evidence(ImmigrationStatus.IMMIGRATION_STATUS_NONE, birth("US"))
                        .setVerifyTime(ts(now.minusSeconds(60))).setExpireTime(ts(now.minusSeconds(120)))));
        assertViolations(List.of("verification.verify_time", "verification.expire_time"), () -> record(identity, p,
                evidence(ImmigrationStatus.IMMIGRATION_STATUS_NONE, birth("US")).clearVerifyTime().clearExpireTime()));
        assertEquals(UsPersonStatus.US_PERSON_STATUS_UNKNOWN, get(p).getUsPersonStatus());
    }

    @Test
    void evidenceForAMissingPersonIsNotFound() {
        assertError(Status.Code.NOT_FOUND, "RESOURCE_NOT_FOUND", () -> identity.recordVerification(
                RecordVerificationRequest.newBuilder().setParent("persons/" + uniqueId("ghost"))
                        .setVerification(evidence(ImmigrationStatus.IMMIGRATION_STATUS_NONE, birth("US"))).build()));
    }
}
