package dev.clearance.policy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Small builder for snapshots and callers in evaluator tests. */
final class TestPolicies {

    static final Instant NOW = Instant.parse("2026-06-13T12:00:00Z");
    static final Instant EFFECTIVE = Instant.parse("2026-06-12T21:21:00Z");

    final List<ModelFamily> families = new ArrayList<>();
    final Map<String, String> aliases = new LinkedHashMap<>();
    final List<Tier> tiers = new ArrayList<>();
    final List<Programme> programmes = new ArrayList<>();
    final List<Subscription> subscriptions = new ArrayList<>();
    final List<Grant> grants = new ArrayList<>();
    final List<Licence> licences = new ArrayList<>();
    final List<Directive> directives = new ArrayList<>();
    CountryGroups groups = new CountryGroups(LocalDate.parse("2026-07-23"),
            Map.of("D:5", Set.of("CN", "IR", "KP", "RU")), Set.of("CU", "IR", "KP", "SY", "UA-43"));

    /** fable (4, 4.5, 5), mythos (4.5, 5), lyric (3, 3.5); tier pro covers lyric-* and fable-*. */
    static TestPolicies catalogue() {
        TestPolicies p = new TestPolicies();
        p.family("fable", false, "fable-4", "fable-4.5", "fable-5");
        p.family("mythos", false, "mythos-4.5", "mythos-5");
        p.family("lyric", false, "lyric-3", "lyric-3.5");
        p.aliases.put("fable-latest", "fable-5");
        p.tiers.add(new Tier("pro", List.of("lyric-*", "fable-*")));
        p.subscriptions.add(new Subscription("organisations/acme", "pro"));
        return p;
    }

    TestPolicies family(String id, boolean controlled, String... versions) {
        List<ModelVersion> vs = new ArrayList<>();
        for (String v : versions) {
            vs.add(new ModelVersion(v, VersionStatus.GA));
        }
        families.add(new ModelFamily(id, controlled, vs));
        return this;
    }

    TestPolicies disable(String version) {
        for (int i = 0; i < families.size(); i++) {
            ModelFamily f = families.get(i);
            List<ModelVersion> vs = f.versions().stream()
                    .map(v -> v.id().equals(version) ? new ModelVersion(v.id(), VersionStatus.DISABLED) : v)
                    .toList();
            families.set(i, new ModelFamily(f.id(), f.controlled(), vs));
        }
        return this;
    }

    TestPolicies directive(Directive d) {
        directives.add(d);
        return this;
    }

    /** The scenario's directive: fable-5+ and mythos-5+, foreign persons, IAL2, licensed persons carved out. */
    static Directive exportDirective(Directive.Mode mode) {
        return new Directive("directives/bis-ed-2026-06-12", "15 CFR 734.13, 734.14", mode, EFFECTIVE, null,
                List.of(new Directive.FamilyScope("fable", "fable-5"), new Directive.FamilyScope("mythos", "mythos-5")),
                DirectiveSubjects.foreignPersons(), AssuranceLevel.IAL2, null,
                List.of(Directive.CarveOut.licensedPersons()));
    }

    static Directive nationalsOf(String id, DirectiveSubjects.CitizenshipMode mode, Set<String> countries, Set<String> groups) {
        return new Directive(id, "test citation", Directive.Mode.ENFORCED, EFFECTIVE, null,
                List.of(new Directive.FamilyScope("fable", null)),
                new DirectiveSubjects(DirectiveSubjects.Kind.NATIONALS_OF, countries, groups, mode),
                AssuranceLevel.IAL2, null, List.of());
    }

    PolicySnapshot compile() {
        return PolicySnapshot.compile(new PolicyInputs(7, families, aliases, tiers, programmes, subscriptions,
                grants, licences, directives, groups));
    }

    static Caller person(String id, UsPersonStatus status, AssuranceLevel assurance, String... citizenships) {
        String controlling = status.isUsPerson() || citizenships.length == 0 ? null : citizenships[citizenships.length - 1];
        return new Caller("persons/" + id, "organisations/acme", status, Set.of(citizenships), controlling, assurance,
                Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z"), ScreeningStatus.CLEAR, 3);
    }

    static Caller usCitizen(String id) {
        return person(id, UsPersonStatus.US_CITIZEN, AssuranceLevel.IAL2, "US");
    }

    static Caller foreigner(String id, String... citizenships) {
        return person(id, UsPersonStatus.FOREIGN_PERSON, AssuranceLevel.IAL2, citizenships);
    }

    static Caller withScreening(Caller c, ScreeningStatus s) {
        return new Caller(c.person(), c.organisation(), c.status(), c.citizenships(), c.controllingCountry(),
                c.assurance(), c.verifiedAt(), c.expiresAt(), s, c.identityRevision());
    }

    static Caller withEvidence(Caller c, Instant verifiedAt, Instant expiresAt) {
        return new Caller(c.person(), c.organisation(), c.status(), c.citizenships(), c.controllingCountry(),
                c.assurance(), verifiedAt, expiresAt, c.screening(), c.identityRevision());
    }

    static AccessRequest ask(String model) {
        return AccessRequest.of(model, true, NOW);
    }

    static AccessRequest askNoFallback(String model) {
        return AccessRequest.of(model, false, NOW);
    }

    static Duration days(long d) {
        return Duration.ofDays(d);
    }
}
