package dev.clearance.identity.screening;

import org.apache.commons.text.similarity.JaroWinklerSimilarity;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Compares a subject's names with every listed name and alternate name, both normalised by
 * {@link NameNormaliser}, with Jaro-Winkler similarity (Apache Commons Text). A listed party is a
 * hit when its best name scores at or above the threshold. A hit is strong when the normalised
 * names are equal and the party and the subject share a country.
 *
 * <p>Blocking: only names sharing a word that starts with the same two letters as one of the
 * subject's words are compared. Jaro-Winkler rewards common prefixes and the words are sorted, so
 * two names with no such word practically never reach a 0.9 similarity; the test suite checks
 * that blocked and exhaustive screening agree on perturbed names. It turns a scan of every name
 * into a few hundred comparisons per subject.
 */
public final class Screener {

    private static final JaroWinklerSimilarity JARO_WINKLER = new JaroWinklerSimilarity();

    /** One listed party a subject matched. */
    public record Hit(ListedParty party, String listedName, String subjectName, double score, boolean strong) {
    }

    private Screener() {
    }

    public static List<Hit> screen(LoadedList list, Collection<String> subjectNames, Set<String> subjectCountries,
                                   double threshold) {
        return screen(list, subjectNames, subjectCountries, threshold, true);
    }

    /** Without blocking: every name is compared. For tests and measurements. */
    static List<Hit> screenExhaustively(LoadedList list, Collection<String> subjectNames, Set<String> subjectCountries,
                                        double threshold) {
        return screen(list, subjectNames, subjectCountries, threshold, false);
    }

    private static List<Hit> screen(LoadedList list, Collection<String> subjectNames, Set<String> subjectCountries,
                                    double threshold, boolean blocked) {
        int parties = list.parties().size();
        double[] best = new double[parties];
        int[] bestName = new int[parties];
        String[] bestSubject = new String[parties];
        java.util.Arrays.fill(bestName, -1);
        double minLengthRatio = minLengthRatio(threshold);
        for (String subjectName : subjectNames) {
            List<String> tokens = NameNormaliser.tokens(subjectName);
            if (tokens.isEmpty()) {
                continue;
            }
            String normalised = String.join(" ", tokens);
            for (int n : candidates(list, tokens, blocked)) {
                String listed = list.names()[n];
                int shorter = Math.min(normalised.length(), listed.length());
                int longer = Math.max(normalised.length(), listed.length());
                if (shorter < minLengthRatio * longer) {
                    continue;
                }
                double score = JARO_WINKLER.apply(normalised, listed);
                int p = list.partyOfName()[n];
                if (score >= threshold && score > best[p]) {
                    best[p] = score;
                    bestName[p] = n;
                    bestSubject[p] = subjectName;
                }
            }
        }
        List<Hit> hits = new ArrayList<>();
        for (int p = 0; p < parties; p++) {
            if (bestName[p] < 0) {
                continue;
            }
            ListedParty party = list.parties().get(p);
            boolean exact = best[p] >= 1.0;
            boolean sharedCountry = party.countries().stream().anyMatch(subjectCountries::contains);
            hits.add(new Hit(party, list.listedNames()[bestName[p]], bestSubject[p], best[p], exact && sharedCountry));
        }
        return hits;
    }

    /**
     * Jaro similarity is at most (2 + shorter/longer) / 3 and Winkler's prefix bonus adds at
     * most 0.4 of the remainder, so names whose lengths differ more than this cannot reach the
     * threshold: skipping them changes no result.
     */
    static double minLengthRatio(double threshold) {
        double jaro = (threshold - 0.4) / 0.6;
        return Math.max(0, 3 * jaro - 2);
    }

    private static int[] candidates(LoadedList list, List<String> tokens, boolean blocked) {
        if (!blocked) {
            int[] all = new int[list.nameCount()];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return all;
        }
        BitSet seen = new BitSet(list.nameCount());
        for (String key : blockingKeys(tokens)) {
            int[] postings = list.index().get(key);
            if (postings != null) {
                for (int n : postings) {
                    seen.set(n);
                }
            }
        }
        return seen.stream().toArray();
    }

    /** The first two letters of each word (the word itself when shorter). */
    static Set<String> blockingKeys(List<String> tokens) {
        Set<String> keys = new LinkedHashSet<>();
        for (String t : tokens) {
            keys.add(t.length() <= 2 ? t : t.substring(0, 2));
        }
        return keys;
    }
}
