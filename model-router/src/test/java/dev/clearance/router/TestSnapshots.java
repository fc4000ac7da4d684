package dev.clearance.router;

import dev.clearance.common.v1.AssuranceLevel;
import dev.clearance.common.v1.CallerIdentity;
import dev.clearance.common.v1.CredentialKind;
import dev.clearance.common.v1.ScreeningStatus;
import dev.clearance.common.v1.UsPersonStatus;
import dev.clearance.policy.CountryGroups;
import dev.clearance.policy.Directive;
import dev.clearance.policy.DirectiveSubjects;
import dev.clearance.policy.ModelFamily;
import dev.clearance.policy.ModelVersion;
import dev.clearance.policy.PolicyInputs;
import dev.clearance.policy.PolicySnapshot;
import dev.clearance.policy.Subscription;
import dev.clearance.policy.Tier;
import dev.clearance.policy.VersionStatus;
import com.google.protobuf.Timestamp;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Snapshots and callers for router tests, built from the engine types (no entitlement-service). */
public final class TestSnapshots {

    private TestSnapshots() {
    }

    /**
     * fable (4, 4.5, 5, alias fable-latest) and lyric (3, 3.5); organisation {@code acme} on tier pro
     * (lyric-*, fable-*); the scenario's directive on fable-5 and later for foreign persons, enforced;
     * {@link #EMBARGOED} under comprehensive embargo.
     */
    /** Comprehensively embargoed in the EAR table (15 CFR 746), as entitlement-service sends them. */
    public static final Set<String> EMBARGOED = Set.of("CU", "IR", "KP", "SY", "UA-09", "UA-14", "UA-40", "UA-43");

    public static PolicySnapshot scenario(long revision) {
        return scenario(revision, Directive.Mode.ENFORCED, Instant.parse("2026-06-12T21:21:00Z"));
    }

    /** As {@link #scenario(long)} with the directive in {@code mode}, effective at {@code effective}. */
    public static PolicySnapshot scenario(long revision, Directive.Mode mode, Instant effective) {
        Directive directive = new Directive("directives/bis-ed-2026-06-12", "15 CFR 734.13, 734.14",
                mode, effective, null,
                List.of(new Directive.FamilyScope("fable", "fable-5")),
                DirectiveSubjects.foreignPersons(), dev.clearance.policy.AssuranceLevel.IAL2, null,
                List.of(Directive.CarveOut.licensedPersons()));
        return PolicySnapshot.compile(new PolicyInputs(revision,
                List.of(family("fable", "fable-4", "fable-4.5", "fable-5"), family("lyric", "lyric-3", "lyric-3.5")),
                Map.of("fable-latest", "fable-5"),
                List.of(new Tier("pro", List.of("lyric-*", "fable-*"))),
                List.of(),
                List.of(new Subscription("organisations/acme", "pro")),
                List.of(), List.of(), List.of(directive), new CountryGroups(null, Map.of(), EMBARGOED)));
    }

    /**
     * The wire form entitlement-service streams: fable (4.5, 5; controlled) and lyric (3; not
     * controlled), organisation {@code acme} on tier pro (fable-*, lyric-*), and, when
     * {@code directive}, an enforced directive on fable-5 for foreign persons.
     */
    public static dev.clearance.entitlement.v1.PolicySnapshot proto(long revision, boolean directive) {
        var snapshot = dev.clearance.entitlement.v1.PolicySnapshot.newBuilder()
                .setRevision(revision)
                .addFamilies(dev.clearance.entitlement.v1.ModelFamily.newBuilder()
                        .setName("families/fable").setControlled(true))
                .addFamilies(dev.clearance.entitlement.v1.ModelFamily.newBuilder().setName("families/lyric"))
                .addVersions(version("fable", "fable-4.5", 1))
                .addVersions(version("fable", "fable-5", 2))
                .addVersions(version("lyric", "lyric-3", 1))
                .addTiers(dev.clearance.entitlement.v1.Tier.newBuilder().setName("tiers/pro")
                        .addModelPatterns("fable-*").addModelPatterns("lyric-*"))
                .addSubscriptions(dev.clearance.entitlement.v1.Subscription.newBuilder()
                        .setName("subscriptions/acme-pro").setOrganisation("organisations/acme").setTier("tiers/pro"))
                .addAllEmbargoedRegions(EMBARGOED.stream().sorted().toList());
        if (directive) {
            snapshot.addDirectives(dev.clearance.entitlement.v1.Directive.newBuilder()
                    .setName("directives/bis-ed-2026-06-12")
                    .setCitation("15 CFR 734.13, 734.14")
                    .setState(dev.clearance.entitlement.v1.DirectiveState.DIRECTIVE_STATE_ENFORCED)
                    .setEffectiveTime(timestamp(Instant.parse("2026-01-01T00:00:00Z")))
                    .addScope(dev.clearance.entitlement.v1.FamilyScope.newBuilder()
                            .setFamily("families/fable").setFromVersion("fable-5"))
                    .setSubjects(dev.clearance.entitlement.v1.DirectiveSubjects.newBuilder()
                            .setKind(dev.clearance.entitlement.v1.SubjectKind.SUBJECT_KIND_FOREIGN_PERSONS))
                    .setMinimumAssurance(AssuranceLevel.ASSURANCE_LEVEL_IAL2));
        }
        return snapshot.build();
    }

    /** {@link #proto} compiled, as the router holds it. */
    public static PolicySnapshot compiled(long revision, boolean directive) {
        return PolicySnapshot.compile(dev.clearance.api.mapping.PolicyMapping.toInputs(proto(revision, directive)));
    }

    private static dev.clearance.entitlement.v1.ModelVersion version(String family, String id, int ordinal) {
        return dev.clearance.entitlement.v1.ModelVersion.newBuilder()
                .setName("families/" + family + "/versions/" + id)
                .setOrdinal(ordinal)
                .setStatus(dev.clearance.entitlement.v1.ModelVersionStatus.MODEL_VERSION_STATUS_GA)
                .build();
    }

    private static ModelFamily family(String id, String... versions) {
        return new ModelFamily(id, true, java.util.Arrays.stream(versions)
                .map(v -> new ModelVersion(v, VersionStatus.GA)).toList());
    }

    /** A person of organisation acme, verified at IAL2 with evidence valid for a year around now. */
    public static CallerIdentity person(String id, UsPersonStatus status, String... citizenships) {
        Instant now = Instant.now();
        CallerIdentity.Builder caller = CallerIdentity.newBuilder()
                .setPerson("persons/" + id)
                .setOrganisation("organisations/acme")
                .setCredentialKind(CredentialKind.CREDENTIAL_KIND_BEARER_TOKEN)
                .setUsPersonStatus(status)
                .addAllCitizenships(List.of(citizenships))
                .setAssuranceLevel(AssuranceLevel.ASSURANCE_LEVEL_IAL2)
                .setVerifyTime(timestamp(now.minusSeconds(86_400)))
                .setExpireTime(timestamp(now.plusSeconds(365L * 86_400)))
                .setScreeningStatus(ScreeningStatus.SCREENING_STATUS_CLEAR)
                .setIdentityRevision(4);
        if (status == UsPersonStatus.US_PERSON_STATUS_FOREIGN_PERSON && citizenships.length > 0) {
            caller.setControllingCountry(citizenships[citizenships.length - 1]);
        }
        return caller.build();
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
