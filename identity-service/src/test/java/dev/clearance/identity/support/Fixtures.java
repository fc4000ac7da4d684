package dev.clearance.identity.support;

import com.google.protobuf.Timestamp;
import dev.clearance.common.v1.AssuranceLevel;
import dev.clearance.identity.v1.Citizenship;
import dev.clearance.identity.v1.CreateOrganisationRequest;
import dev.clearance.identity.v1.CreatePersonRequest;
import dev.clearance.identity.v1.IdentityServiceGrpc.IdentityServiceBlockingStub;
import dev.clearance.identity.v1.ImmigrationStatus;
import dev.clearance.identity.v1.Organisation;
import dev.clearance.identity.v1.Person;
import dev.clearance.identity.v1.RecordVerificationRequest;
import dev.clearance.identity.v1.RecordVerificationResponse;
import dev.clearance.identity.v1.Verification;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Builders for test data; ids are unique per call because every test class shares one schema. */
public final class Fixtures {

    private Fixtures() {
    }

    public static String uniqueId(String prefix) {
        byte[] b = new byte[4];
        ThreadLocalRandom.current().nextBytes(b);
        return prefix + "-" + HexFormat.of().formatHex(b);
    }

    public static Timestamp ts(Instant i) {
        return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
    }

    public static Organisation organisation(IdentityServiceBlockingStub identity, String country) {
        String id = uniqueId("org");
        return identity.createOrganisation(CreateOrganisationRequest.newBuilder()
                .setOrganisationId(id)
                .setOrganisation(Organisation.newBuilder().setDisplayName("Org " + id).setCountry(country))
                .build()).getOrganisation();
    }

    public static Person person(IdentityServiceBlockingStub identity, String organisation, String subject) {
        String id = uniqueId("p");
        Person.Builder p = Person.newBuilder().setDisplayName("Person " + id);
        if (organisation != null) {
            p.setOrganisation(organisation);
        }
        if (subject != null) {
            p.setSubject(subject);
        }
        return identity.createPerson(CreatePersonRequest.newBuilder().setPersonId(id).setPerson(p).build()).getPerson();
    }

    /** IAL2 evidence verified an hour ago, valid for a year. */
    public static Verification.Builder evidence(ImmigrationStatus immigration, Citizenship... citizenships) {
        Instant now = Instant.now();
        return Verification.newBuilder()
                .addAllCitizenships(java.util.List.of(citizenships))
                .setImmigrationStatus(immigration)
                .setAssuranceLevel(AssuranceLevel.ASSURANCE_LEVEL_IAL2)
                .setVerifyTime(ts(now.minus(Duration.ofHours(1))))
                .setExpireTime(ts(now.plus(Duration.ofDays(365))))
                .setEvidenceReference("case-" + uniqueId("ref"));
    }

    public static RecordVerificationResponse record(IdentityServiceBlockingStub identity, Person person,
                                                    Verification.Builder evidence) {
        return identity.recordVerification(RecordVerificationRequest.newBuilder()
                .setParent(person.getName()).setVerification(evidence).build());
    }

    /** The stub with a compliance officer's bearer token ({@code actor} is username and subject). */
    public static IdentityServiceBlockingStub as(IdentityServiceBlockingStub identity, String actor) {
        return OperatorTokens.as(identity, actor, dev.clearance.testing.TestIssuer.COMPLIANCE);
    }

    /** An IAL2 document verified an hour ago, valid for a year. */
    public static Verification.Builder document(dev.clearance.identity.v1.DocumentClass documentClass, String issuingCountry,
                                               Citizenship... citizenships) {
        return evidence(ImmigrationStatus.IMMIGRATION_STATUS_UNSPECIFIED, citizenships)
                .setDocumentClass(documentClass)
                .setIssuingCountry(issuingCountry);
    }

    public static Citizenship birth(String country) {
        return Citizenship.newBuilder().setCountry(country).build();
    }

    public static Citizenship acquired(String country, String date) {
        return Citizenship.newBuilder().setCountry(country).setAcquireDate(date).build();
    }
}
