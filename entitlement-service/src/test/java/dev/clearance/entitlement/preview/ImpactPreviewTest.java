package dev.clearance.entitlement.preview;

import dev.clearance.common.v1.AssuranceLevel;
import dev.clearance.common.v1.ScreeningStatus;
import dev.clearance.common.v1.UsPersonStatus;
import dev.clearance.entitlement.identity.IdentityPopulation;
import dev.clearance.identity.v1.ApiKey;
import dev.clearance.identity.v1.Citizenship;
import dev.clearance.identity.v1.Organisation;
import dev.clearance.identity.v1.Person;
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
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The preview on a seeded population: 100,000 persons in 7 organisations (the bulk path is this
 * class: persons built as identity-service lists them and mapped as the service maps them), 9
 * directives already in the snapshot and a 10th previewed. Counts are derived from the seed's
 * rules, not from the engine. The time is printed for the issue note, never asserted.
 */
class ImpactPreviewTest {

    private static final Instant NOW = Instant.parse("2026-06-13T12:00:00Z");
    private static final int PERSONS = 100_000;
    private static final int ORGANISATIONS = 7;

    /** i % 4: 0 US citizen, 1 foreign (CN), 2 foreign (IN), 3 no evidence (UNKNOWN). */
    private static Person person(int i) {
        Person.Builder p = Person.newBuilder().setName("persons/p" + i).setOrganisation(org(i % ORGANISATIONS))
                .setAssuranceLevel(AssuranceLevel.ASSURANCE_LEVEL_IAL2).setScreeningStatus(ScreeningStatus.SCREENING_STATUS_CLEAR);
        switch (i % 4) {
            case 0 -> p.setUsPersonStatus(UsPersonStatus.US_PERSON_STATUS_US_CITIZEN)
                    .addCitizenships(Citizenship.newBuilder().setCountry("US"));
            case 1 -> p.setUsPersonStatus(UsPersonStatus.US_PERSON_STATUS_FOREIGN_PERSON).setControllingCountry("CN")
                    .addCitizenships(Citizenship.newBuilder().setCountry("CN"));
            case 2 -> p.setUsPersonStatus(UsPersonStatus.US_PERSON_STATUS_FOREIGN_PERSON).setControllingCountry("IN")
                    .addCitizenships(Citizenship.newBuilder().setCountry("IN"));
            default -> p.setUsPersonStatus(UsPersonStatus.US_PERSON_STATUS_UNKNOWN);
        }
        return p.build();
    }

    private static String org(int k) {
        return "organisations/org-" + k;
    }

    private static Population population(int persons) {
        List<Person> people = new ArrayList<>(persons);
        for (int i = 0; i < persons; i++) {
            people.add(person(i));
        }
        List<Organisation> orgs = new ArrayList<>();
        for (int k = 0; k < ORGANISATIONS; k++) {
            orgs.add(Organisation.newBuilder().setName(org(k)).setScreeningStatus(ScreeningStatus.SCREENING_STATUS_CLEAR).build());
        }
        List<ApiKey> keys = new ArrayList<>();
        for (int i = 0; i < persons; i += 5) {
            keys.add(ApiKey.newBuilder().setName("apiKeys/k" + i).setPrefix("p" + i).setOwner("persons/p" + i).build());
        }
        for (int k = 0; k < ORGANISATIONS_WITH_KEYS; k++) {
            keys.add(ApiKey.newBuilder().setName("apiKeys/org-" + k).setPrefix("o" + k).setOwner(org(k)).build());
        }
        return IdentityPopulation.population(people, orgs, keys);
    }

    /** The seed's keys: every fifth person holds one ({@code apiKeys/k{i}}); org-0 to org-5 one organisation-wide key each. */
    private static final int ORGANISATIONS_WITH_KEYS = ORGANISATIONS - 1;

    private static Directive directive(String id, Directive.Mode mode, String fromVersion, DirectiveSubjects subjects,
                                       List<Directive.CarveOut> carveOuts) {
        return new Directive(id, "15 CFR 734.13", mode, NOW.minusSeconds(3600), null,
                List.of(new Directive.FamilyScope("fable", fromVersion)), subjects,
                dev.clearance.policy.AssuranceLevel.IAL2, null, carveOuts);
    }

    /** Nine directives nobody in the seed matches (nationals of countries no one holds), evaluated on every request. */
    private static List<Directive> others() {
        List<String> countries = List.of("RU", "IR", "KP", "SY", "CU", "BY", "VE", "MM", "AF");
        List<Directive> out = new ArrayList<>();
        for (int k = 0; k < countries.size(); k++) {
            out.add(directive("directives/other-" + k, k % 2 == 0 ? Directive.Mode.ENFORCED : Directive.Mode.SHADOW, "fable-4",
                    new DirectiveSubjects(DirectiveSubjects.Kind.NATIONALS_OF, Set.of(countries.get(k)), Set.of(),
                            DirectiveSubjects.CitizenshipMode.ANY), List.of()));
        }
        return out;
    }

    private static PolicySnapshot snapshot(List<Directive> directives) {
        List<Subscription> subscriptions = new ArrayList<>();
        for (int k = 0; k < ORGANISATIONS; k++) {
            subscriptions.add(new Subscription(org(k), "pro"));
        }
        return PolicySnapshot.compile(new PolicyInputs(1,
                List.of(new ModelFamily("fable", true, List.of(new ModelVersion("fable-4", VersionStatus.GA),
                                new ModelVersion("fable-4.5", VersionStatus.GA), new ModelVersion("fable-5", VersionStatus.GA))),
                        new ModelFamily("lyric", false, List.of(new ModelVersion("lyric-3.5", VersionStatus.GA)))),
                Map.of(), List.of(new Tier("pro", List.of("fable-*", "lyric-*"))), List.of(), subscriptions, List.of(), List.of(),
                directives, CountryGroups.EMPTY));
    }

    @Test
    void foreignPersonsDirectiveOnFable5With100000PersonsAndTenDirectives() {
        long seedStart = System.nanoTime();
        Population people = population(PERSONS);
        long seeded = System.nanoTime() - seedStart;
        Directive previewed = directive("directives/preview", Directive.Mode.ENFORCED, "fable-5",
                DirectiveSubjects.foreignPersons(), List.of(new Directive.CarveOut(Directive.CarveOut.Kind.ORGANISATION, org(0))));
        PolicySnapshot current = snapshot(others());
        List<Directive> all = new ArrayList<>(others());
        all.add(previewed);
        PolicySnapshot with = snapshot(all);

        long start = System.nanoTime();
        Impact impact = ImpactPreview.compute(current, with, previewed, people, NOW);
        long took = System.nanoTime() - start;
        System.out.printf("impact preview: %d persons, %d organisations, 10 directives (9 in the snapshot + the previewed one):"
                        + " %d ms to evaluate (%d hits); building the population from identity listings %d ms%n",
                PERSONS, ORGANISATIONS, took / 1_000_000, impact.hits().size(), seeded / 1_000_000);

        // From the seed's rules: the foreign persons (CN, IN) outside org-0 lose fable-5. The unknown and
        // the organisation keys (UNKNOWN) are refused it already, by the enforced others (fail closed), so
        // the previewed directive takes nothing more from them.
        int expectedPersons = 0;
        for (int i = 0; i < PERSONS; i++) {
            if ((i % 4 == 1 || i % 4 == 2) && i % ORGANISATIONS != 0) {
                expectedPersons++;
            }
        }
        assertEquals(PERSONS, impact.personsEvaluated());
        assertEquals(1, impact.models().size(), "only fable-5 is in scope");
        Impact.ModelCount fable5 = impact.models().get(0);
        assertEquals("fable-5", fable5.model());
        assertEquals(expectedPersons, fable5.persons());
        assertEquals(0, fable5.organisationApiKeys(), "already refused");
        assertEquals(ORGANISATIONS - 1, fable5.organisations(), "every organisation but the carved-out org-0");
        assertEquals(expectedPersons, fable5.downgraded(), "everyone keeps fable-4.5");
        assertEquals(0, fable5.denied());
        assertTrue(impact.hits().stream().allMatch(h -> "fable-4.5".equals(h.fallbackModel())));
        assertTrue(impact.hits().stream().noneMatch(h -> org(0).equals(h.organisation())), "carved out");
        // Person-bound keys share their person's impact: the keys of hit persons, nothing else.
        int expectedKeys = 0;
        for (int i = 0; i < PERSONS; i += 5) {
            if ((i % 4 == 1 || i % 4 == 2) && i % ORGANISATIONS != 0) {
                expectedKeys++;
            }
        }
        assertEquals(PERSONS / 5 + ORGANISATIONS_WITH_KEYS, impact.apiKeysEvaluated());
        assertEquals(expectedKeys, fable5.apiKeys());
        assertEquals(0, fable5.organisationWideApiKeys(), "organisation keys were refused already");
        assertEquals(expectedKeys, impact.hits().stream().filter(h -> h.kind() == Impact.Kind.API_KEY).count());
    }

    @Test
    void anOrganisationWideKeyIsHitByAForeignPersonsDirectiveAsUnknownAndPersonKeysFollowTheirPerson() {
        Population people = population(40);
        Directive previewed = directive("directives/preview", Directive.Mode.ENFORCED, "fable-5",
                DirectiveSubjects.foreignPersons(), List.of());
        Impact impact = ImpactPreview.compute(snapshot(List.of()), snapshot(List.of(previewed)), previewed, people, NOW);
        assertEquals(List.of("fable-5"), impact.models().stream().map(Impact.ModelCount::model).toList());
        Impact.ModelCount fable5 = impact.models().get(0);
        // Foreign (i % 4 == 1, 2) and unknown (3) persons: fail closed. Every fifth holds a key: 5, 10, 15, 25, 30, 35.
        assertEquals(30, fable5.persons());
        assertEquals(ORGANISATIONS_WITH_KEYS, fable5.organisationApiKeys(), "only organisations holding such keys");
        assertEquals(6 + ORGANISATIONS_WITH_KEYS, fable5.apiKeys());
        assertEquals(ORGANISATIONS_WITH_KEYS, fable5.organisationWideApiKeys());
        assertEquals(30 + ORGANISATIONS_WITH_KEYS, fable5.downgraded(), "the older versions stay");

        Impact.Hit orgKey = impact.hits().stream().filter(h -> h.caller().equals("apiKeys/org-3")).findFirst().orElseThrow();
        assertEquals(Impact.Kind.API_KEY, orgKey.kind());
        assertEquals(org(3), orgKey.apiKeyOwner());
        assertEquals(org(3), orgKey.organisation());
        assertEquals("o3", orgKey.apiKeyPrefix());
        assertEquals("fable-4.5", orgKey.fallbackModel());
        Impact.Hit personKey = impact.hits().stream().filter(h -> h.caller().equals("apiKeys/k15")).findFirst().orElseThrow();
        assertEquals("persons/p15", personKey.apiKeyOwner());
        assertEquals(org(15 % ORGANISATIONS), personKey.organisation(), "the person's organisation");
        assertEquals("fable-4.5", personKey.fallbackModel());
        // A US citizen's key (p0, p20) is not hit; org-6 holds no organisation-wide key, so it is no caller.
        assertTrue(impact.hits().stream().noneMatch(h -> h.caller().equals("apiKeys/k0") || h.caller().equals("apiKeys/k20")));
        assertTrue(impact.hits().stream().noneMatch(h -> h.kind() == Impact.Kind.ORGANISATION_API_KEYS
                && h.caller().equals(org(6))));
    }

    @Test
    void aWholeFamilyScopeWithNoOlderVersionLeftIsDeniedAndUsCitizensAreNeverHit() {
        Population people = population(40);
        Directive previewed = directive("directives/preview", Directive.Mode.ENFORCED, null,
                new DirectiveSubjects(DirectiveSubjects.Kind.NATIONALS_OF, Set.of("CN"), Set.of(),
                        DirectiveSubjects.CitizenshipMode.MOST_RECENT), List.of());
        Impact impact = ImpactPreview.compute(snapshot(List.of()), snapshot(List.of(previewed)), previewed, people, NOW);
        // CN nationals (i % 4 == 1) and the unknown (fail closed, i % 4 == 3) lose every fable version;
        // organisation-wide keys (UNKNOWN) too.
        assertEquals(List.of("fable-4", "fable-4.5", "fable-5"), impact.models().stream().map(Impact.ModelCount::model).toList());
        for (Impact.ModelCount m : impact.models()) {
            assertEquals(20, m.persons(), m.model());
            assertEquals(ORGANISATIONS_WITH_KEYS, m.organisationApiKeys());
            // Keys of p5, p15, p25, p35 (CN or unknown) and every organisation-wide key.
            assertEquals(4 + ORGANISATIONS_WITH_KEYS, m.apiKeys(), m.model());
            assertEquals(0, m.downgraded(), "the older versions are in scope too");
        }
        assertTrue(impact.hits().stream().allMatch(h -> h.fallbackModel() == null));
        assertTrue(impact.hits().stream().noneMatch(h -> h.caller().equals("persons/p0") || h.caller().equals("persons/p2")));
        assertNull(impact.hits().stream().filter(h -> h.caller().equals("persons/p1")).findFirst().orElseThrow().fallbackModel());
    }
}
