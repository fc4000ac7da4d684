package dev.clearance.policy;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.clearance.policy.TestPolicies.*;
import static org.junit.jupiter.api.Assertions.*;

/** The evaluator's name lookup: versions before aliases, and the canonical fast path never admits a name normalisation would refuse. */
class NameIndexTest {

    @Test
    void versionsWinOverAnAliasOfTheSameNameAndMissesAreMinusOne() {
        Map<String, Integer> versions = Map.of("fable-5", 2, "fable-4", 1);
        Map<String, Integer> aliases = Map.of("fable-5", 1, "fable-latest", 2);
        NameIndex index = new NameIndex(versions, aliases);
        assertEquals(2, index.get("fable-5"));
        assertEquals(2, index.get("fable-latest"));
        assertEquals(-1, index.get("fable-6"));
        assertEquals(2, index.getCanonical("fable-5"));
        assertEquals(-1, index.getCanonical("FABLE-5"), "not canonical: the evaluator normalises it first");
        assertEquals(-1, index.getCanonical(null));
    }

    @Test
    void manyNamesAllResolveThroughCollisions() {
        Map<String, Integer> versions = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            versions.put("m" + i + "-" + (i % 7), i);
        }
        NameIndex index = new NameIndex(versions, Map.of());
        versions.forEach((name, v) -> assertEquals(v, index.get(name), name));
        assertEquals(-1, index.get("m1000-6"));
    }

    @Test
    void aCatalogueNameThatNormalisationRefusesIsStillRefusedWhenSentAsIs() {
        TestPolicies p = catalogue().family("odd", false, "odd 1");
        PolicySnapshot s = p.compile();
        assertThrows(InvalidModelNameException.class, () -> Evaluator.decide(s, usCitizen("alice"), ask("odd 1")));
        assertEquals(List.of("fable-5"), List.of(Evaluator.decide(s, usCitizen("alice"), ask("Fable-Latest")).requestedVersion()));
    }
}
