package dev.clearance.identity.grpc;

import dev.clearance.api.ApiError;
import dev.clearance.common.v1.UsPersonStatus;
import dev.clearance.identity.support.OperatorTokens;
import dev.clearance.identity.support.TestClock;
import dev.clearance.identity.v1.DocumentClass;
import dev.clearance.identity.v1.GetPersonRequest;
import dev.clearance.identity.v1.GetVerificationRequest;
import dev.clearance.identity.v1.IdentityServiceGrpc.IdentityServiceBlockingStub;
import dev.clearance.identity.v1.ImmigrationStatus;
import dev.clearance.identity.v1.ListVerificationsRequest;
import dev.clearance.identity.v1.ListVerificationsResponse;
import dev.clearance.identity.v1.Person;
import dev.clearance.identity.v1.RecordVerificationRequest;
import dev.clearance.identity.v1.RecordVerificationResponse;
import dev.clearance.identity.v1.RevokeVerificationRequest;
import dev.clearance.identity.v1.RevokeVerificationResponse;
import dev.clearance.identity.v1.Verification;
import dev.clearance.identity.v1.VerificationMethod;
import dev.clearance.identity.v1.VerificationState;
import dev.clearance.identity.v1.VerificationStateChange;
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
import java.util.ArrayList;
import java.util.List;

import static dev.clearance.identity.support.Fixtures.acquired;
import static dev.clearance.identity.support.Fixtures.as;
import static dev.clearance.identity.support.Fixtures.birth;
import static dev.clearance.identity.support.Fixtures.document;
import static dev.clearance.identity.support.Fixtures.evidence;
import static dev.clearance.identity.support.Fixtures.person;
import static dev.clearance.identity.support.Fixtures.ts;
import static dev.clearance.identity.support.Fixtures.uniqueId;
import static dev.clearance.identity.support.Grpc.assertError;
import static dev.clearance.identity.support.Grpc.assertViolations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Document evidence, officer attestation and revocation, evidence history. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class EvidenceTest {

    private static final String OFFICER = "officer.jones@provider.test";

    @GrpcClient("identity")
    IdentityServiceBlockingStub identity;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private RecordVerificationResponse attest(Person p, Verification.Builder v, String reason) {
        return as(identity, OFFICER).recordVerification(RecordVerificationRequest.newBuilder()
                .setParent(p.getName()).setVerification(v).setReason(reason).build());
    }

    private RevokeVerificationResponse revoke(String name, String reason) {
        return as(identity, OFFICER).revokeVerification(RevokeVerificationRequest.newBuilder()
                .setName(name).setReason(reason).build());
    }

    private Person get(Person p) {
        return identity.getPerson(GetPersonRequest.newBuilder().setName(p.getName()).build()).getPerson();
    }

    @Test
    void officerAttestationIsRecordedWithActorReasonAndDocument() {
        Person p = person(identity, null, null);
        RecordVerificationResponse r = attest(p, document(DocumentClass.DOCUMENT_CLASS_PASSPORT, "US"),
                "US passport inspected in person, case 4411");
        Verification v = r.getVerification();
        assertEquals(DocumentClass.DOCUMENT_CLASS_PASSPORT, v.getDocumentClass());
        assertEquals("US", v.getIssuingCountry());
        assertEquals(List.of(birth("US")), v.getCitizenshipsList(), "a passport establishes its issuing country");
        assertEquals(ImmigrationStatus.IMMIGRATION_STATUS_NONE, v.getImmigrationStatus());
        assertEquals(VerificationMethod.VERIFICATION_METHOD_OFFICER, v.getMethod());
        assertEquals(VerificationState.VERIFICATION_STATE_VERIFIED, v.getState());
        assertEquals(1, v.getStateChangesCount());
        VerificationStateChange recorded = v.getStateChanges(0);
        assertEquals(OperatorTokens.actor(OFFICER), recorded.getActor());
        assertEquals("US passport inspected in person, case 4411", recorded.getReason());
        assertEquals(VerificationState.VERIFICATION_STATE_VERIFIED, recorded.getState());
        assertEquals(UsPersonStatus.US_PERSON_STATUS_US_CITIZEN, r.getPerson().getUsPersonStatus());
        assertEquals(v.getName(), r.getPerson().getDecidingVerification());

        assertEquals(v, identity.getVerification(GetVerificationRequest.newBuilder().setName(v.getName()).build())
                .getVerification(), "what was returned is what is stored");
    }

    @Test
    void theRecordingIsAttributedToTheTokensOperatorWhateverHeadersSay() {
        Person p = person(identity, null, null);
        io.grpc.Metadata forged = new io.grpc.Metadata();
        forged.put(io.grpc.Metadata.Key.of("x-clearance-actor", io.grpc.Metadata.ASCII_STRING_MARSHALLER), "someone-else");
        Verification v = identity.withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(forged))
                .recordVerification(RecordVerificationRequest.newBuilder().setParent(p.getName())
                .setVerification(evidence(ImmigrationStatus.IMMIGRATION_STATUS_NONE, birth("US"))).build()).getVerification();
        assertEquals(OperatorTokens.actor(OperatorTokens.DEFAULT_OPERATOR), v.getStateChanges(0).getActor());
        assertEquals("", v.getStateChanges(0).getReason());
    }

    @Test
    void dualNationalDocumentsAreMergedAndTheMostRecentCitizenshipControls() {
        Person p = person(identity, null, null);
        attest(p, document(DocumentClass.DOCUMENT_CLASS_PASSPORT, "RU"), "passport");
        RecordVerificationResponse cert = attest(p, document(
                DocumentClass.DOCUMENT_CLASS_CERTIFICATE_OF_NATURALISATION_OR_CITIZENSHIP, "DE",
                acquired("DE", "2019-05-20")), "naturalisation certificate");
        Person dual = cert.getPerson();
        assertEquals(UsPersonStatus.US_PERSON_STATUS_FOREIGN_PERSON, dual.getUsPersonStatus());
        assertEquals("DE", dual.getControllingCountry());
        assertEquals(List.of(birth("RU"), acquired("DE", "2019-05-20")), dual.getCitizenshipsList());
        assertEquals(cert.getVerification().getName(), dual.getDecidingVerification());
    }

    @Test
    void revokingTheDecidingEvidenceRecomputesBumpsTheRevisionAndKeepsHistory() {
        Person p = person(identity, null, null);
        RecordVerificationResponse fr = attest(p, document(DocumentClass.DOCUMENT_CLASS_PASSPORT, "FR"), "passport");
        RecordVerificationResponse us = attest(p, document(DocumentClass.DOCUMENT_CLASS_PASSPORT, "US"), "passport");
        assertEquals(UsPersonStatus.US_PERSON_STATUS_US_CITIZEN, us.getPerson().getUsPersonStatus());

        RevokeVerificationResponse revoked = revoke(us.getVerification().getName(), "passport reported stolen");
        Verification v = revoked.getVerification();
        assertEquals(VerificationState.VERIFICATION_STATE_REVOKED, v.getState());
        assertEquals(2, v.getStateChangesCount());
        assertEquals(OperatorTokens.actor(OFFICER), v.getStateChanges(1).getActor());
        assertEquals("passport reported stolen", v.getStateChanges(1).getReason());
        assertEquals(VerificationState.VERIFICATION_STATE_REVOKED, v.getStateChanges(1).getState());

        Person after = revoked.getPerson();
        assertEquals(UsPersonStatus.US_PERSON_STATUS_FOREIGN_PERSON, after.getUsPersonStatus());
        assertEquals("FR", after.getControllingCountry());
        assertEquals(fr.getVerification().getName(), after.getDecidingVerification());
        assertEquals(us.getPerson().getIdentityRevision() + 1, after.getIdentityRevision());
        assertEquals(after, get(p));

        var e = assertError(Status.Code.FAILED_PRECONDITION, "FAILED_PRECONDITION",
                () -> revoke(us.getVerification().getName(), "again"));
        assertEquals("REVOKED", ApiError.errorInfo(e).orElseThrow().getMetadataOrThrow("state"));
        assertEquals(after.getIdentityRevision(), get(p).getIdentityRevision(), "a refused revoke changes nothing");
    }

    @Test
    void revokeNeedsNameAndReason() {
        Person p = person(identity, null, null);
        String name = attest(p, document(DocumentClass.DOCUMENT_CLASS_PASSPORT, "US"), "passport")
                .getVerification().getName();
        assertViolations(List.of("name", "reason"), () -> identity.revokeVerification(
                RevokeVerificationRequest.newBuilder().setName("verifications/x").setReason("  ").build()));
        assertEquals(UsPersonStatus.US_PERSON_STATUS_US_CITIZEN, get(p).getUsPersonStatus(), "nothing revoked");
        assertError(Status.Code.NOT_FOUND, "RESOURCE_NOT_FOUND",
                () -> revoke(p.getName() + "/verifications/" + uniqueId("nope"), "stolen"));
        Person other = person(identity, null, null);
        String otherPersonsName = name.replace(p.getName(), other.getName());
        assertError(Status.Code.NOT_FOUND, "RESOURCE_NOT_FOUND", () -> revoke(otherPersonsName, "stolen"));
    }

    @Test
    void expiredEvidenceIsSweptToExpiredWithASystemStateChange() {
        Person p = person(identity, null, null);
        Instant now = Instant.now();
        String name = attest(p, document(DocumentClass.DOCUMENT_CLASS_PASSPORT, "US")
                .setExpireTime(ts(now.plus(Duration.ofDays(1)))), "passport").getVerification().getName();
        clock.advance(Duration.ofDays(2));
        assertEquals(UsPersonStatus.US_PERSON_STATUS_UNKNOWN, get(p).getUsPersonStatus());
        Verification v = identity.getVerification(GetVerificationRequest.newBuilder().setName(name).build()).getVerification();
        assertEquals(VerificationState.VERIFICATION_STATE_EXPIRED, v.getState());
        assertEquals("system", v.getStateChanges(1).getActor());

        // expired evidence can still be revoked for the record (found forged after it ran out)
        Verification revoked = revoke(name, "found forged").getVerification();
        assertEquals(VerificationState.VERIFICATION_STATE_REVOKED, revoked.getState());
        assertEquals(3, revoked.getStateChangesCount());
    }

    @Test
    void listShowsEveryPieceNewestFirstAcrossPages() {
        Person p = person(identity, null, null);
        List<String> recorded = new ArrayList<>();
        for (String country : List.of("FR", "DE", "IT", "ES", "PT")) {
            recorded.add(0, attest(p, document(DocumentClass.DOCUMENT_CLASS_PASSPORT, country), "passport")
                    .getVerification().getName());
        }
        revoke(recorded.get(2), "withdrawn");
        List<String> listed = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListVerificationsResponse page = identity.listVerifications(ListVerificationsRequest.newBuilder()
                    .setParent(p.getName()).setPageSize(2).setPageToken(token).build());
            page.getVerificationsList().forEach(v -> listed.add(v.getName()));
            token = page.getNextPageToken();
            pages++;
        } while (!token.isEmpty());
        assertEquals(recorded, listed, "revoked evidence is still listed");
        assertEquals(3, pages);

        assertViolations(List.of("parent", "page_size"), () -> identity.listVerifications(
                ListVerificationsRequest.newBuilder().setParent("persons/").setPageSize(-1).build()));
        Person other = person(identity, null, null);
        String foreignToken = identity.listVerifications(ListVerificationsRequest.newBuilder()
                .setParent(p.getName()).setPageSize(1).build()).getNextPageToken();
        assertViolations(List.of("page_token"), () -> identity.listVerifications(ListVerificationsRequest.newBuilder()
                .setParent(other.getName()).setPageToken(foreignToken).build()));
        assertError(Status.Code.NOT_FOUND, "RESOURCE_NOT_FOUND", () -> identity.listVerifications(
                ListVerificationsRequest.newBuilder().setParent("persons/" + uniqueId("ghost")).build()));
    }

    @Test
    void documentRulesAreEnforcedAndNothingIsStored() {
        Person p = person(identity, null, null);
        assertViolations(List.of("verification.issuing_country"),
                () -> attest(p, document(DocumentClass.DOCUMENT_CLASS_PASSPORT_CARD, "CA"), "card"));
        assertViolations(List.of("verification.issuing_country"),
                () -> attest(p, document(DocumentClass.DOCUMENT_CLASS_PASSPORT, ""), "passport"));
        assertViolations(List.of("verification.citizenships"),
                () -> attest(p, document(DocumentClass.DOCUMENT_CLASS_PASSPORT, "FR", birth("DE")), "passport"));
        assertViolations(List.of("verification.citizenships", "verification.immigration_status"),
                () -> attest(p, document(DocumentClass.DOCUMENT_CLASS_VISA, "US"), "visa"));
        assertViolations(List.of("verification.immigration_status"), () -> attest(p,
                document(DocumentClass.DOCUMENT_CLASS_PERMANENT_RESIDENT_CARD, "US")
                        .setImmigrationStatus(ImmigrationStatus.IMMIGRATION_STATUS_H1B), "card"));
        assertViolations(List.of("verification.document_class"), () -> attest(p,
                document(DocumentClass.DOCUMENT_CLASS_PASSPORT, "US").setDocumentClassValue(99), "passport"));
        assertViolations(List.of("reason"), () -> attest(p, document(DocumentClass.DOCUMENT_CLASS_PASSPORT, "US"),
                "bad\u0007reason"));
        assertTrue(identity.listVerifications(ListVerificationsRequest.newBuilder().setParent(p.getName()).build())
                .getVerificationsList().isEmpty(), "nothing stored");

        Person lpr = attest(p, document(DocumentClass.DOCUMENT_CLASS_PERMANENT_RESIDENT_CARD, "US"), "green card")
                .getPerson();
        assertEquals(UsPersonStatus.US_PERSON_STATUS_LAWFUL_PERMANENT_RESIDENT, lpr.getUsPersonStatus());
        assertFalse(lpr.getDecidingVerification().isEmpty());
    }
}
