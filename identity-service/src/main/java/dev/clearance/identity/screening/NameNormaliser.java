package dev.clearance.identity.screening;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Puts names into one comparable form: diacritics stripped ({@code Müller} → {@code muller}),
 * letters folded that do not decompose ({@code ß}, {@code ø}, {@code ł}, ...), apostrophes dropped
 * ({@code O'Brien} → {@code obrien}), other punctuation a word break, runs of single letters joined
 * ({@code L.L.C.} → {@code llc}), corporate suffixes removed ({@code LLC}, {@code Ltd}, {@code GmbH},
 * ...), and the words sorted, so word order does not matter ({@code Petrov, Ivan} = {@code Ivan Petrov}).
 * The same function is applied to listed names and to our subjects.
 */
public final class NameNormaliser {

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern APOSTROPHES = Pattern.compile("['’‘`´]");
    private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

    /** Legal-form words that say nothing about who the party is. */
    static final Set<String> CORPORATE_SUFFIXES = Set.of(
            "llc", "llp", "lp", "ltd", "limited", "inc", "incorporated", "co", "company", "corp", "corporation",
            "gmbh", "mbh", "ag", "kg", "plc", "sa", "sas", "sarl", "srl", "spa", "bv", "nv", "oy", "ab", "as",
            "pte", "pty", "kk", "jsc", "pjsc", "ojsc", "cjsc", "ooo", "oao", "zao", "fze", "fzco", "the");

    private NameNormaliser() {
    }

    public static String normalise(String name) {
        return String.join(" ", tokens(name));
    }

    /** The sorted, normalised words of {@code name}. */
    public static List<String> tokens(String name) {
        if (name == null) {
            return List.of();
        }
        String s = Normalizer.normalize(name, Normalizer.Form.NFKD);
        s = MARKS.matcher(s).replaceAll("");
        s = fold(s.toLowerCase(Locale.ROOT));
        s = APOSTROPHES.matcher(s).replaceAll("");
        s = NOT_WORD.matcher(s).replaceAll(" ").strip();
        if (s.isEmpty()) {
            return List.of();
        }
        List<String> words = joinInitials(Arrays.asList(s.split(" ")));
        List<String> kept = new ArrayList<>(words.stream().filter(w -> !CORPORATE_SUFFIXES.contains(w)).toList());
        if (kept.isEmpty()) {
            // A name made only of suffix words ("The Company") is still a name.
            kept = new ArrayList<>(words);
        }
        kept.sort(null);
        return List.copyOf(kept);
    }

    /** {@code l l c} → {@code llc}: abbreviations written with dots. */
    private static List<String> joinInitials(List<String> words) {
        List<String> out = new ArrayList<>();
        StringBuilder run = new StringBuilder();
        for (String w : words) {
            if (w.length() == 1) {
                run.append(w);
                continue;
            }
            if (!run.isEmpty()) {
                out.add(run.toString());
                run.setLength(0);
            }
            out.add(w);
        }
        if (!run.isEmpty()) {
            out.add(run.toString());
        }
        return out;
    }

    private static String fold(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case 'ß' -> sb.append("ss");
                case 'æ' -> sb.append("ae");
                case 'œ' -> sb.append("oe");
                case 'ø' -> sb.append('o');
                case 'đ', 'ð' -> sb.append('d');
                case 'ł' -> sb.append('l');
                case 'ı' -> sb.append('i');
                case 'þ' -> sb.append("th");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
