package dev.clearance.identity.screening;

import dev.clearance.identity.support.SyntheticList;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScreenerTest {

    private static final LoadedList LIST = LoadedList.of("test", "0".repeat(64), Instant.EPOCH, List.of(
            new ListedParty("el-1", "EL", "Entity", "Orbital Dynamics Trading Co., Ltd.",
                    List.of("Orbital Dynamics Trading LLC", "ODT Hong Kong"), List.of("HK", "CN")),
            new ListedParty("sdn-2", "SDN", "Individual", "PETROVSKY, Anatoly Viktorovich",
                    List.of("Anatoli Petrovski"), List.of("BY")),
            new ListedParty("dpl-3", "DPL", "Individual", "Zoltán Kővári-Hegedűs", List.of(), List.of("HU"))));

    private static List<Screener.Hit> screen(String name, String... countries) {
        return Screener.screen(LIST, List.of(name), Set.of(countries), 0.90);
    }

    @Test
    void exactNormalisedNameWithACommonCountryIsStrong() {
        List<Screener.Hit> hits = screen("Anatoly Viktorovich Petrovsky", "BY");
        assertEquals(1, hits.size());
        assertEquals("sdn-2", hits.get(0).party().id());
        assertEquals(1.0, hits.get(0).score());
        assertTrue(hits.get(0).strong());
        assertFalse(screen("Anatoly Viktorovich Petrovsky", "US").get(0).strong(), "no common country");
    }

    @Test
    void alternateNamesCorporateSuffixesAndDiacriticsMatch() {
        List<Screener.Hit> hits = screen("ORBITAL DYNAMICS TRADING GMBH");
        assertEquals("el-1", hits.get(0).party().id());
        assertEquals(1.0, hits.get(0).score());
        assertEquals("Orbital Dynamics Trading Co., Ltd.", hits.get(0).listedName());
        assertEquals("dpl-3", screen("Zoltan Kovari Hegedus").get(0).party().id());
        assertEquals("Anatoli Petrovski", screen("Petrovski, Anatoli").get(0).listedName());
    }

    @Test
    void nearMissAboveTheThresholdIsAHitWithItsScore() {
        List<Screener.Hit> hits = screen("Anatoly Viktorovich Petrovskiy");
        assertEquals(1, hits.size());
        assertTrue(hits.get(0).score() >= 0.90 && hits.get(0).score() < 1.0, "score " + hits.get(0).score());
        assertFalse(hits.get(0).strong(), "not exact");
    }

    @Test
    void differentNamesAreClear() {
        assertEquals(List.of(), screen("Alice Example"));
        assertEquals(List.of(), screen("Orbit Analytics"));
        assertEquals(List.of(), screen("Anatoly Karpov"));
        assertEquals(List.of(), screen(""));
    }

    @Test
    void higherThresholdDropsTheNearMiss() {
        assertEquals(List.of(), Screener.screen(LIST, List.of("Anatoly Viktorovich Petrovskiy"), Set.of(), 0.999));
    }

    /** Blocking must not lose what an exhaustive comparison finds, on typos and reordered names. */
    @Test
    void blockedScreeningFindsWhatExhaustiveScreeningFinds() {
        List<ListedParty> parties = SyntheticList.parties(2000, 7);
        LoadedList list = LoadedList.of("synthetic", "0".repeat(64), Instant.EPOCH, parties);
        Random r = new Random(11);
        List<String> probes = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            ListedParty p = parties.get(r.nextInt(parties.size()));
            String name = p.allNames().get(r.nextInt(p.allNames().size()));
            probes.add(switch (i % 4) {
                case 0 -> name;
                case 1 -> SyntheticList.typo(name, r);
                case 2 -> SyntheticList.typo(SyntheticList.typo(name, r), r);
                default -> SyntheticList.name(r);
            });
        }
        int hits = 0;
        for (String probe : probes) {
            var blocked = ids(Screener.screen(list, List.of(probe), Set.of(), 0.90));
            var exhaustive = ids(Screener.screenExhaustively(list, List.of(probe), Set.of(), 0.90));
            assertEquals(exhaustive, blocked, "probe " + probe);
            hits += exhaustive.size();
        }
        assertTrue(hits > 250, "most of the 300 near-copies hit: " + hits);
    }

    /** The length filter skips only pairs Jaro-Winkler could never score at the threshold. */
    @Test
    void lengthFilterIsExact() {
        var jw = new org.apache.commons.text.similarity.JaroWinklerSimilarity();
        Random r = new Random(5);
        assertEquals(0.5, Screener.minLengthRatio(0.90), 1e-9);
        int checked = 0;
        for (int i = 0; i < 200_000; i++) {
            String a = NameNormaliser.normalise(SyntheticList.name(r));
            String b = r.nextBoolean() ? NameNormaliser.normalise(SyntheticList.typo(a, r)) : a.substring(0, 1 + r.nextInt(a.length()));
            double threshold = 0.75 + r.nextDouble() * 0.24;
            if (jw.apply(a, b) >= threshold) {
                double ratio = Math.min(a.length(), b.length()) / (double) Math.max(a.length(), b.length());
                assertTrue(ratio >= Screener.minLengthRatio(threshold), a + " / " + b + " at " + threshold);
                checked++;
            }
        }
        assertTrue(checked > 1000, "pairs above the threshold: " + checked);
    }

    private static List<String> ids(List<Screener.Hit> hits) {
        return hits.stream().map(h -> h.party().id() + "@" + h.score()).sorted(Comparator.naturalOrder()).toList();
    }
}
