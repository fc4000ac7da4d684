package dev.clearance.suite;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScenarioTest {

    private final Scenario scenario = Scenario.load(Scenario.defaultFile());

    @Test
    void theDemoScenarioHasTheReferenceCatalogueAndPeople() {
        assertEquals(List.of("fable", "mythos", "lyric"),
                scenario.catalogue().families().stream().map(Scenario.Family::family).toList());
        assertEquals(List.of("fable-4", "fable-4.5", "fable-5"), scenario.catalogue().families().get(0).versions());
        assertEquals(Map.of("fable-latest", "fable-5"), scenario.catalogue().families().get(0).aliases());
        assertEquals(List.of("alice", "bogdan", "chen", "dana", "emre", "frank", "grace", "hiro"),
                List.copyOf(scenario.persons().keySet()));
        assertEquals(List.of("meridian-batch-key"), List.copyOf(scenario.organisationApiKeys().keySet()));
        assertEquals(14, scenario.expected().size());
    }

    @Test
    void datesStayTheTextTheyAreWrittenAs() {
        Scenario.Licence licence = scenario.people().get("hiro").licence();
        assertEquals("2026-06-01", licence.start());
        assertEquals("2027-06-01", licence.end());
        assertEquals("2014-07-14", scenario.people().get("dana").acquired().get("FR"));
        assertEquals("2026-06-12T21:21:00Z", scenario.directive().effectiveAt());
        assertEquals("2027-11-01T00:00:00Z", scenario.verificationDefaults().expiresAt());
    }

    @Test
    void withoutTheDirectiveEveryDirectiveRowBecomesAnAllowOfTheRequestedModel() {
        Map<String, String> before = scenario.expected().stream()
                .map(Scenario.Expectation::withoutDirective)
                .collect(Collectors.toMap(e -> e.who() + " " + e.model() + (e.fallbackForbidden() ? " strict" : ""),
                        e -> e.outcome() + " " + e.servedModel()));
        assertEquals("ALLOW fable-5", before.get("bogdan fable-5"));
        assertEquals("ALLOW fable-5", before.get("bogdan fable-5 strict"));
        assertEquals("ALLOW mythos-5", before.get("emre mythos-5"));
        assertEquals("ALLOW fable-5", before.get("frank fable-5"));
        assertEquals("ALLOW fable-5", before.get("meridian-batch-key fable-5"));
        // Not the directive's doing: unchanged.
        assertEquals("ALLOW_FALLBACK mythos-4.5", before.get("hiro mythos-5"));
        assertEquals("ALLOW fable-5", before.get("dana fable-latest"));
    }

    @Test
    void aDenyServesNothing() {
        Scenario.Expectation strict = scenario.expected().stream()
                .filter(Scenario.Expectation::fallbackForbidden).findFirst().orElseThrow();
        assertEquals("DENY", strict.outcome());
        assertNull(strict.servedModel());
        assertTrue(strict.toString().contains("no fallback"));
    }
}
