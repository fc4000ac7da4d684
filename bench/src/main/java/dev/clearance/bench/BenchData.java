package dev.clearance.bench;

import com.google.protobuf.Timestamp;
import dev.clearance.common.v1.AssuranceLevel;
import dev.clearance.entitlement.v1.CreateDirectiveRequest;
import dev.clearance.entitlement.v1.CreateModelFamilyRequest;
import dev.clearance.entitlement.v1.CreateModelVersionRequest;
import dev.clearance.entitlement.v1.CreateSubscriptionRequest;
import dev.clearance.entitlement.v1.CreateTierRequest;
import dev.clearance.entitlement.v1.Directive;
import dev.clearance.entitlement.v1.DirectiveSubjects;
import dev.clearance.entitlement.v1.EntitlementServiceGrpc;
import dev.clearance.entitlement.v1.FamilyScope;
import dev.clearance.entitlement.v1.ModelFamily;
import dev.clearance.entitlement.v1.ModelVersion;
import dev.clearance.entitlement.v1.ModelVersionStatus;
import dev.clearance.entitlement.v1.SubjectKind;
import dev.clearance.entitlement.v1.Subscription;
import dev.clearance.entitlement.v1.Tier;
import dev.clearance.identity.v1.ApiKey;
import dev.clearance.identity.v1.Citizenship;
import dev.clearance.identity.v1.CreateApiKeyRequest;
import dev.clearance.identity.v1.CreateOrganisationRequest;
import dev.clearance.identity.v1.CreatePersonRequest;
import dev.clearance.identity.v1.IdentityServiceGrpc;
import dev.clearance.identity.v1.ImmigrationStatus;
import dev.clearance.identity.v1.Organisation;
import dev.clearance.identity.v1.Person;
import dev.clearance.identity.v1.RecordVerificationRequest;
import dev.clearance.identity.v1.Verification;

import java.time.Instant;

/**
 * The benchmarks' data, through the admin APIs: organisation acme (US) on tier pro (fable-*, lyric-*);
 * fable (4.5, 5) is a controlled family, lyric (3) is not; alice, a US citizen, and bogdan, an Indian
 * national on an H-1B, both verified at IAL2, each with a person-bound API key.
 */
final class BenchData {

    static final String MODEL = "fable-5";
    static final String CITATION = "15 CFR 734.13";

    final String aliceKey;
    final String bogdanKey;

    private BenchData(String aliceKey, String bogdanKey) {
        this.aliceKey = aliceKey;
        this.bogdanKey = bogdanKey;
    }

    static BenchData load(IdentityServiceGrpc.IdentityServiceBlockingStub people,
                          EntitlementServiceGrpc.EntitlementServiceBlockingStub policy) {
        people.createOrganisation(CreateOrganisationRequest.newBuilder().setOrganisationId("acme")
                .setOrganisation(Organisation.newBuilder().setDisplayName("Acme").setCountry("US")).build());
        String alice = person(people, "alice", "US", ImmigrationStatus.IMMIGRATION_STATUS_NONE);
        String bogdan = person(people, "bogdan", "IN", ImmigrationStatus.IMMIGRATION_STATUS_H1B);
        family(policy, "fable", true, "fable-4.5", "fable-5");
        family(policy, "lyric", false, "lyric-3");
        policy.createTier(CreateTierRequest.newBuilder().setTierId("pro").setTier(Tier.newBuilder()
                .addModelPatterns("fable-*").addModelPatterns("lyric-*")).build());
        policy.createSubscription(CreateSubscriptionRequest.newBuilder().setSubscription(Subscription.newBuilder()
                .setOrganisation("organisations/acme").setTier("tiers/pro")).build());
        return new BenchData(alice, bogdan);
    }

    private static String person(IdentityServiceGrpc.IdentityServiceBlockingStub people, String id, String country,
                                 ImmigrationStatus status) {
        people.createPerson(CreatePersonRequest.newBuilder().setPersonId(id)
                .setPerson(Person.newBuilder().setDisplayName(id).setOrganisation("organisations/acme")).build());
        Instant now = Instant.now();
        people.recordVerification(RecordVerificationRequest.newBuilder().setParent("persons/" + id)
                .setVerification(Verification.newBuilder()
                        .addCitizenships(Citizenship.newBuilder().setCountry(country))
                        .setImmigrationStatus(status)
                        .setAssuranceLevel(AssuranceLevel.ASSURANCE_LEVEL_IAL2)
                        .setVerifyTime(timestamp(now.minusSeconds(86_400)))
                        .setExpireTime(timestamp(now.plusSeconds(365L * 86_400))))
                .build());
        return people.createApiKey(CreateApiKeyRequest.newBuilder()
                .setApiKey(ApiKey.newBuilder().setOwner("persons/" + id).setDisplayName(id + "'s key")).build())
                .getSecret();
    }

    private static void family(EntitlementServiceGrpc.EntitlementServiceBlockingStub policy, String id,
                               boolean controlled, String... versions) {
        policy.createModelFamily(CreateModelFamilyRequest.newBuilder().setFamilyId(id)
                .setFamily(ModelFamily.newBuilder().setDisplayName(id).setControlled(controlled)).build());
        for (String v : versions) {
            policy.createModelVersion(CreateModelVersionRequest.newBuilder().setParent("families/" + id)
                    .setVersionId(v).setVersion(ModelVersion.newBuilder()
                            .setStatus(ModelVersionStatus.MODEL_VERSION_STATUS_GA)).build());
        }
    }

    /** A draft directive: foreign persons may not use fable from fable-5 on. */
    static void draftDirective(EntitlementServiceGrpc.EntitlementServiceBlockingStub policy, String id) {
        policy.createDirective(CreateDirectiveRequest.newBuilder().setDirectiveId(id)
                .setDirective(Directive.newBuilder().setIssuer("BIS").setCitation(CITATION)
                        .addScope(FamilyScope.newBuilder().setFamily("families/fable").setFromVersion(MODEL))
                        .setSubjects(DirectiveSubjects.newBuilder().setKind(SubjectKind.SUBJECT_KIND_FOREIGN_PERSONS)))
                .build());
    }

    /**
     * Fails unless the enforce call left the directive ENFORCED: a change to how directives are
     * enforced (an approval step, say) must stop the benchmark rather than measure nothing.
     */
    static void requireEnforced(dev.clearance.entitlement.v1.EnforceDirectiveResponse response) {
        if (response.getDirective().getState() != dev.clearance.entitlement.v1.DirectiveState.DIRECTIVE_STATE_ENFORCED) {
            throw new IllegalStateException("EnforceDirective left " + response.getDirective().getName() + " in state "
                    + response.getDirective().getState() + ", not ENFORCED");
        }
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
