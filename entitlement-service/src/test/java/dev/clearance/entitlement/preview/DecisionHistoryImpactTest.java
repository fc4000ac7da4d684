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
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The history replay on a seeded history: a foreign person and a US person asking for fable-5 (the
 * scenario's directive covers fable-5 for foreign persons), with and without fallback, plus
 * requests the replay cannot place. Expected numbers come from the directive's rules.
 */
class DecisionHistoryImpactTest {

    private static final Instant NOW = Instant.parse("2026-06-13T12:00:00Z");
    private static final String ORG = "organisations/acme";

    private static Person person(String id, UsPersonStatus status, String country) {
        Person.Builder p = Person.newBuilder().setName("persons/" + id).setOrganisation(ORG)
                .setAssuranceLevel(AssuranceLevel.ASSURANCE_LEVEL_IAL2)
                .setScreeningStatus(ScreeningStatus.SCREENING_STATUS_CLEAR).setUsPersonStatus(status)
                .addCitizenships(Citizenship.newBuilder().setCountry(country));
        if (status == UsPersonStatus.US_PERSON_STATUS_FOREIGN_PERSON) {
            p.setControllingCountry(country);
        }
        return p.build();
    }

    private static Population population() {
        return IdentityPopulation.population(List.of(
                        person("bogdan", UsPersonStatus.US_PERSON_STATUS_FOREIGN_PERSON, "IN"),
                        person("alice", UsPersonStatus.US_PERSON_STATUS_US_CITIZEN, "US")),
                List.of(Organisation.newBuilder().setName(ORG).setScreeningStatus(ScreeningStatus.SCREENING_STATUS_CLEAR)
                        .build()),
                // acme holds an organisation-wide key, so the organisation is a caller of its own
                List.of(ApiKey.newBuilder().setName("apiKeys/acme-batch").setPrefix("acme").setOwner(ORG).build()));
    }

    private static final Directive DIRECTIVE = new Directive("directives/bis-ed", "15 CFR 734.13", Directive.Mode.ENFORCED,
            NOW.minusSeconds(3600), null, List.of(new Directive.FamilyScope("fable", "fable-5")),
            DirectiveSubjects.foreignPersons(), dev.clearance.policy.AssuranceLevel.IAL2, null, List.of());

    private static PolicySnapshot snapshot(List<Directive> directives) {
        return PolicySnapshot.compile(new PolicyInputs(1,
                List.of(new ModelFamily("fable", true, List.of(new ModelVersion("fable-4", VersionStatus.GA),
                                new ModelVersion("fable-4.5", VersionStatus.GA), new ModelVersion("fable-5", VersionStatus.GA))),
                        new ModelFamily("lyric", false, List.of(new ModelVersion("lyric-3.5", VersionStatus.GA))),
                        new ModelFamily("mythos", true, List.of(new ModelVersion("mythos-5", VersionStatus.GA)))),
                Map.of(), List.of(new Tier("pro", List.of("fable-*", "lyric-*"))), List.of(),
                List.of(new Subscription(ORG, "pro")), List.of(), List.of(), directives, CountryGroups.EMPTY));
    }

    @Test
    void foreignPersonsRequestsForFable5AreDowngradedOrDeniedAndUsPersonsAreNot() {
        List<DecisionHistoryImpact.Requests> history = List.of(
                new DecisionHistoryImpact.Requests("persons/bogdan", "fable-5", true, 7),   // -> fable-4.5: downgraded
                new DecisionHistoryImpact.Requests("persons/bogdan", "fable-5", false, 3),  // no fallback: denied
                new DecisionHistoryImpact.Requests("persons/bogdan", "fable-4.5", true, 11), // out of scope
                new DecisionHistoryImpact.Requests("persons/alice", "fable-5", true, 5),    // US person: untouched
                new DecisionHistoryImpact.Requests("persons/bogdan", "mythos-5", true, 2),  // not entitled now: nothing to take
                new DecisionHistoryImpact.Requests(ORG, "lyric-3.5", true, 4),              // organisation key, out of scope
                new DecisionHistoryImpact.Requests("persons/gone", "fable-5", true, 6),     // no longer listed
                new DecisionHistoryImpact.Requests("persons/alice", "fable-9", true, 1));   // no longer in the catalogue

        DecisionHistoryImpact.Result r = DecisionHistoryImpact.compute(snapshot(List.of()), snapshot(List.of(DIRECTIVE)),
                population(), history, NOW);

        assertEquals(7, r.downgraded());
        assertEquals(3, r.denied());
        assertEquals(7 + 3 + 11 + 5 + 2 + 4, r.replayed());
        assertEquals(6 + 1, r.notReplayed());
    }

    @Test
    void anEmptyHistoryCountsNothing() {
        DecisionHistoryImpact.Result r = DecisionHistoryImpact.compute(snapshot(List.of()), snapshot(List.of(DIRECTIVE)),
                population(), List.of(), NOW);
        assertEquals(new DecisionHistoryImpact.Result(0, 0, 0, 0), r);
    }
}
