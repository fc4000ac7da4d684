package dev.clearance.identity.webhook;

import dev.clearance.common.v1.AssuranceLevel;
import dev.clearance.common.v1.Change;
import dev.clearance.common.v1.UsPersonStatus;
import dev.clearance.identity.v1.DocumentClass;
import dev.clearance.identity.v1.GetPersonRequest;
import dev.clearance.identity.v1.IdentityServiceGrpc.IdentityServiceBlockingStub;
import dev.clearance.identity.v1.ImmigrationStatus;
import dev.clearance.identity.v1.KycVendor;
import dev.clearance.identity.v1.ListChangesRequest;
import dev.clearance.identity.v1.ListVerificationsRequest;
import dev.clearance.identity.v1.Person;
import dev.clearance.identity.v1.Verification;
import dev.clearance.identity.v1.VerificationMethod;
import dev.clearance.identity.v1.VerificationState;
import dev.clearance.testing.PostgresTestResource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import static dev.clearance.identity.support.Fixtures.birth;
import static dev.clearance.identity.support.Fixtures.person;
import static dev.clearance.identity.support.Fixtures.uniqueId;
import static dev.clearance.identity.support.Webhooks.PERSONA_SECRET;
import static dev.clearance.identity.support.Webhooks.documentExpiry;
import static dev.clearance.identity.support.Webhooks.onfido;
import static dev.clearance.identity.support.Webhooks.persona;
import static dev.clearance.identity.support.Webhooks.personaSignature;
import static dev.clearance.identity.support.Webhooks.post;
import static dev.clearance.identity.support.Webhooks.sample;
import static dev.clearance.identity.support.Webhooks.stripe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The vendor webhooks over HTTP against PostgreSQL, with the samples signed by the test secrets. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class WebhookTest {

    @GrpcClient("identity")
    IdentityServiceBlockingStub identity;

    private Person get(Person p) {
        return identity.getPerson(GetPersonRequest.newBuilder().setName(p.getName()).build()).getPerson();
    }

    private List<Verification> evidence(Person p) {
        return identity.listVerifications(ListVerificationsRequest.newBuilder().setParent(p.getName()).build())
                .getVerificationsList();
    }

    /** The change-log rows about the person's evidence, newest first. */
    private List<Change> evidenceChanges(Person p) {
        return identity.listChanges(ListChangesRequest.newBuilder().setResource(p.getName() + "/verifications/*")
                .build()).getChangesList();
    }

    private static void assertStatus(Response r, int code, String status) {
        assertEquals(code, r.statusCode(), () -> r.asString());
        assertEquals(status, r.jsonPath().getString("status"), () -> r.asString());
    }

    @Test
    void personaApprovedPassportBecomesVendorEvidenceAndARedeliveryWritesNothing() {
        Person p = person(identity, null, null);
        String event = uniqueId("e");
        byte[] body = sample("persona/inquiry-approved-passport.json", p.getName(), event);

        Response first = persona(body);
        assertStatus(first, 200, "processed");
        Person citizen = get(p);
        assertEquals(UsPersonStatus.US_PERSON_STATUS_US_CITIZEN, citizen.getUsPersonStatus());
        assertEquals(AssuranceLevel.ASSURANCE_LEVEL_IAL2, citizen.getAssuranceLevel(), "selfie matched");
        assertEquals(p.getIdentityRevision() + 1, citizen.getIdentityRevision());
        Verification v = evidence(p).get(0);
        assertEquals(List.of(v.getName()), first.jsonPath().getList("evidence"));
        assertEquals(VerificationMethod.VERIFICATION_METHOD_VENDOR, v.getMethod());
        assertEquals(KycVendor.KYC_VENDOR_PERSONA, v.getVendor());
        assertTrue(v.getVendorReportId().startsWith("ver_gov_"));
        assertEquals(DocumentClass.DOCUMENT_CLASS_PASSPORT, v.getDocumentClass());
        assertEquals("US", v.getIssuingCountry());
        assertEquals(documentExpiry().atStartOfDay(ZoneOffset.UTC).toEpochSecond(), v.getExpireTime().getSeconds(),
                "the passport expires before the evidence's maximum age");
        assertEquals("vendor:persona", v.getStateChanges(0).getActor());
        // one change row, in the delivery's transaction, by the vendor
        List<Change> logged = evidenceChanges(p);
        assertEquals(1, logged.size(), logged::toString);
        Change created = logged.get(0);
        assertEquals("vendor:persona", created.getActor());
        assertEquals(v.getName(), created.getResource());
        assertEquals("CREATE", created.getAction());
        assertEquals("", created.getBefore());
        assertTrue(created.getAfter().contains("\"VERIFICATION_STATE_VERIFIED\"") && created.getAfter().contains(v.getName()),
                created.getAfter());
        assertTrue(created.getReason().startsWith("webhook event evt_" + event + ": "), created.getReason());

        Response again = persona(body);
        assertStatus(again, 200, "duplicate");
        assertEquals(1, evidence(p).size());
        assertEquals(citizen.getIdentityRevision(), get(p).getIdentityRevision(), "no second write");
        assertEquals(1, evidenceChanges(p).size(), "a redelivery adds no change row");
    }

    @Test
    void personaDeclineAfterApprovalRevokesTheSameEvidence() {
        Person p = person(identity, null, null);
        String event = uniqueId("e");
        assertStatus(persona(sample("persona/inquiry-approved-passport.json", p.getName(), event)), 200, "processed");
        Response declined = persona(sample("persona/inquiry-declined-passport.json", p.getName(), event));
        assertStatus(declined, 200, "processed");

        List<Verification> all = evidence(p);
        assertEquals(1, all.size(), "the same report: one piece of evidence, two states");
        assertEquals(VerificationState.VERIFICATION_STATE_REVOKED, all.get(0).getState());
        assertEquals("vendor:persona", all.get(0).getStateChanges(1).getActor());
        assertTrue(all.get(0).getStateChanges(1).getReason().contains("inquiry.declined"));
        assertEquals(UsPersonStatus.US_PERSON_STATUS_UNKNOWN, get(p).getUsPersonStatus());
        List<Change> logged = evidenceChanges(p);
        assertEquals(List.of("REVOKE", "CREATE"), logged.stream().map(Change::getAction).toList());
        Change revoked = logged.get(0);
        assertEquals("vendor:persona", revoked.getActor());
        assertTrue(revoked.getBefore().contains("VERIFICATION_STATE_VERIFIED"), revoked.getBefore());
        assertTrue(revoked.getAfter().contains("VERIFICATION_STATE_REVOKED"), revoked.getAfter());
        assertTrue(revoked.getReason().startsWith("webhook event evt_declined_" + event + ": ")
                && revoked.getReason().contains("inquiry.declined"), revoked.getReason());
    }

    @Test
    void personaGreenCardWithPassportAndIgnoredDriversLicence() {
        Person p = person(identity, null, null);
        Response r = persona(sample("persona/inquiry-approved-green-card.json", p.getName(), uniqueId("e")));
        assertStatus(r, 200, "processed");
        assertEquals(2, r.jsonPath().getList("evidence").size());
        assertTrue(r.jsonPath().getString("detail").contains("dl issued by US establishes no citizenship"),
                r.asString());
        Person lpr = get(p);
        assertEquals(UsPersonStatus.US_PERSON_STATUS_LAWFUL_PERMANENT_RESIDENT, lpr.getUsPersonStatus());
        assertEquals(List.of(birth("CN")), lpr.getCitizenshipsList());
        Verification card = evidence(p).stream()
                .filter(v -> v.getDocumentClass() == DocumentClass.DOCUMENT_CLASS_PERMANENT_RESIDENT_CARD)
                .findFirst().orElseThrow();
        assertEquals(ImmigrationStatus.IMMIGRATION_STATUS_LAWFUL_PERMANENT_RESIDENT, card.getImmigrationStatus());
        assertEquals(card.getName(), lpr.getDecidingVerification());
    }

    @Test
    void badMissingOrReplayedSignaturesAre401AndWriteNothing() {
        Person p = person(identity, null, null);
        byte[] body = sample("persona/inquiry-approved-passport.json", p.getName(), uniqueId("e"));
        Instant now = Instant.now();

        assertStatus(post("persona", "Persona-Signature", null, body), 401, "rejected");
        assertStatus(post("persona", "Persona-Signature",
                dev.clearance.identity.webhook.WebhookSignatures.signTimestamped(body, "not-the-secret", now.getEpochSecond()),
                body), 401, "rejected");
        byte[] altered = new String(body, StandardCharsets.UTF_8).replace("\"US\"", "\"FR\"").getBytes(StandardCharsets.UTF_8);
        assertStatus(post("persona", "Persona-Signature", personaSignature(body, now), altered), 401, "rejected");
        Response replayed = post("persona", "Persona-Signature", personaSignature(body, now.minusSeconds(600)), body);
        assertStatus(replayed, 401, "rejected");
        assertTrue(replayed.jsonPath().getString("detail").contains("tolerance"));
        assertStatus(post("stripe-identity", "Stripe-Signature", personaSignature(body, now), body), 401, "rejected");
        assertStatus(post("onfido", "X-SHA2-Signature", "00".repeat(32), body), 401, "rejected");

        assertEquals(List.of(), evidence(p));
        assertEquals(p.getIdentityRevision(), get(p).getIdentityRevision());
        assertEquals(List.of(), evidenceChanges(p), "a refused delivery adds no change row");

        // the same body, properly signed, is then accepted: nothing was remembered from the refusals
        assertStatus(persona(body), 200, "processed");
        assertEquals(1, evidenceChanges(p).size());
    }

    @Test
    void personaRotationHeaderWithTwoSignaturesIsAccepted() {
        Person p = person(identity, null, null);
        byte[] body = sample("persona/inquiry-approved-passport.json", p.getName(), uniqueId("e"));
        long t = Instant.now().getEpochSecond();
        String header = WebhookSignatures.signTimestamped(body, "retired-secret", t) + " "
                + WebhookSignatures.signTimestamped(body, PERSONA_SECRET, t);
        assertStatus(post("persona", "Persona-Signature", header, body), 200, "processed");
    }

    @Test
    void malformedJsonAndMissingEnvelopeAre400() {
        byte[] broken = "{\"data\": {\"id\": \"evt_x\", ".getBytes(StandardCharsets.UTF_8);
        assertStatus(persona(broken), 400, "rejected");
        assertStatus(persona("[1,2]".getBytes(StandardCharsets.UTF_8)), 400, "rejected");
        Response noId = persona("{\"data\":{\"type\":\"event\",\"attributes\":{\"name\":\"inquiry.approved\"}}}"
                .getBytes(StandardCharsets.UTF_8));
        assertStatus(noId, 400, "rejected");
        assertEquals("missing data.id", noId.jsonPath().getString("detail"));
        assertStatus(stripe("{}".getBytes(StandardCharsets.UTF_8)), 400, "rejected");
        assertStatus(onfido("{\"payload\":{}}".getBytes(StandardCharsets.UTF_8)), 400, "rejected");
    }

    @Test
    void bodyOverTheLimitIs413() {
        byte[] big = new byte[300 * 1024];
        Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        big[big.length - 1] = '}';
        Response r = persona(big);
        assertEquals(413, r.statusCode(), r.asString());
    }

    @Test
    void eventsWithoutADecisionAreAcknowledgedOnce() {
        Person p = person(identity, null, null);
        byte[] created = sample("persona/inquiry-created.json", p.getName(), uniqueId("e"));
        Response r = persona(created);
        assertStatus(r, 200, "ignored");
        assertTrue(r.jsonPath().getString("detail").contains("inquiry.created"));
        assertStatus(persona(created), 200, "duplicate");
        assertEquals(List.of(), evidence(p));
    }

    @Test
    void unknownPersonOrBadReferenceIsIgnoredNotFailed() {
        Response ghost = persona(sample("persona/inquiry-approved-passport.json", "persons/" + uniqueId("ghost"),
                uniqueId("e")));
        assertStatus(ghost, 200, "ignored");
        assertTrue(ghost.jsonPath().getString("detail").contains("no person"));
        Response badRef = persona(sample("persona/inquiry-approved-passport.json", "user-42", uniqueId("e")));
        assertStatus(badRef, 200, "ignored");
        assertTrue(badRef.jsonPath().getString("detail").contains("is not persons/{person}"));
    }

    @Test
    void stripeVerifiedSessionWithExpandedReport() {
        Person p = person(identity, null, null);
        byte[] body = sample("stripe-identity/verification-session-verified.json", p.getName(), uniqueId("e"));
        assertStatus(stripe(body), 200, "processed");
        Person foreign = get(p);
        assertEquals(UsPersonStatus.US_PERSON_STATUS_FOREIGN_PERSON, foreign.getUsPersonStatus());
        assertEquals("GB", foreign.getControllingCountry());
        Verification v = evidence(p).get(0);
        assertEquals(KycVendor.KYC_VENDOR_STRIPE_IDENTITY, v.getVendor());
        assertTrue(v.getVendorReportId().startsWith("vr_"));
        assertStatus(stripe(body), 200, "duplicate");
    }

    @Test
    void stripeExpiredDocumentIsRejectedEvidenceThatDoesNotCount() {
        Person p = person(identity, null, null);
        Response r = stripe(sample("stripe-identity/verification-session-requires-input.json", p.getName(), uniqueId("e")));
        assertStatus(r, 200, "processed");
        Verification v = evidence(p).get(0);
        assertEquals(VerificationState.VERIFICATION_STATE_REJECTED, v.getState());
        assertTrue(v.getStateChanges(0).getReason().contains("document_expired"), v.getStateChanges(0).getReason());
        assertEquals(UsPersonStatus.US_PERSON_STATUS_UNKNOWN, get(p).getUsPersonStatus());
    }

    @Test
    void stripeReportThatIsOnlyAnIdIsAcknowledgedAndSaysWhy() {
        Person p = person(identity, null, null);
        Response r = stripe(sample("stripe-identity/verification-session-verified-unexpanded.json", p.getName(),
                uniqueId("e")));
        assertStatus(r, 200, "ignored");
        assertTrue(r.jsonPath().getString("detail").contains("not expanded"));
        assertEquals(List.of(), evidence(p));
    }

    @Test
    void onfidoCompletedCheckWithAlpha3CountryAndRedelivery() {
        Person p = person(identity, null, null);
        byte[] body = sample("onfido/check-completed.json", p.getName(), uniqueId("e"));
        Response r = onfido(body);
        assertStatus(r, 200, "processed");
        Person foreign = get(p);
        assertEquals(UsPersonStatus.US_PERSON_STATUS_FOREIGN_PERSON, foreign.getUsPersonStatus());
        assertEquals("DE", foreign.getControllingCountry());
        assertEquals(AssuranceLevel.ASSURANCE_LEVEL_IAL2, foreign.getAssuranceLevel(), "facial similarity clear");
        Verification v = evidence(p).get(0);
        assertEquals(KycVendor.KYC_VENDOR_ONFIDO, v.getVendor());
        assertEquals("DE", v.getIssuingCountry());
        assertTrue(v.getVendorReportId().startsWith("rep-doc-"));

        // Onfido signs no timestamp: a replay of a genuine delivery is refused by its event id
        assertStatus(onfido(body), 200, "duplicate");
        assertEquals(1, evidence(p).size());
        assertEquals(foreign.getIdentityRevision(), get(p).getIdentityRevision());
    }
}
