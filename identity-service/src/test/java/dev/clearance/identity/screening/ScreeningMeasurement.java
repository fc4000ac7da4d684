package dev.clearance.identity.screening;

import dev.clearance.identity.support.SyntheticList;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Not a test: measures screening 10,000 names against a list of the real list's size (15,000
 * synthetic entries with alternate names), blocked as in production and, for a sample,
 * exhaustively. Prints the numbers; asserts nothing. Run it as described in the README.
 */
public final class ScreeningMeasurement {

    private ScreeningMeasurement() {
    }

    public static void main(String[] args) {
        int entries = args.length > 0 ? Integer.parseInt(args[0]) : 15_000;
        int subjects = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        var parties = SyntheticList.parties(entries, 42);

        long t0 = System.nanoTime();
        LoadedList list = LoadedList.of("synthetic", "0".repeat(64), Instant.now(), parties);
        long indexMs = (System.nanoTime() - t0) / 1_000_000;

        Random r = new Random(43);
        List<String> names = new ArrayList<>(subjects);
        for (int i = 0; i < subjects; i++) {
            if (i % 10 == 0) {
                var p = parties.get(r.nextInt(parties.size()));
                names.add(SyntheticList.typo(p.name(), r));
            } else {
                names.add(SyntheticList.name(r));
            }
        }
        // warm up the JIT on a separate set
        for (int i = 0; i < 2_000; i++) {
            Screener.screen(list, List.of(SyntheticList.name(r)), Set.of(), 0.90);
        }

        long start = System.nanoTime();
        int hits = 0;
        for (String name : names) {
            hits += Screener.screen(list, List.of(name), Set.of("CN"), 0.90).size();
        }
        long blockedMs = (System.nanoTime() - start) / 1_000_000;

        int sample = Math.min(200, subjects);
        start = System.nanoTime();
        for (int i = 0; i < sample; i++) {
            Screener.screenExhaustively(list, List.of(names.get(i)), Set.of("CN"), 0.90);
        }
        long exhaustiveSampleMs = (System.nanoTime() - start) / 1_000_000;

        System.out.printf("list: %d entries, %d names; normalise + index: %d ms%n", entries, list.nameCount(), indexMs);
        System.out.printf("screened %d names (blocked): %d ms total, %.3f ms per name, %d hits%n",
                subjects, blockedMs, blockedMs / (double) subjects, hits);
        System.out.printf("exhaustive (every name compared), %d names: %d ms, %.1f ms per name (about %d s for %d)%n",
                sample, exhaustiveSampleMs, exhaustiveSampleMs / (double) sample,
                exhaustiveSampleMs * subjects / sample / 1000, subjects);
        System.out.printf("cpus available: %d, java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
    }
}
