package dev.clearance.identity.support;

import dev.clearance.identity.screening.ListedParty;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Made-up names and a list of realistic size (the real CSL has some 15,000 entries), seeded so runs repeat. */
public final class SyntheticList {

    private static final String ONSETS = "bcdfghjklmnprstvwyz";
    private static final String VOWELS = "aeiou";
    private static final String CODAS = "nrslmkt";
    private static final String[] SUFFIXES = {"", "", "", " LLC", " Ltd", " GmbH", " Co., Ltd.", " Inc."};
    private static final String[] COUNTRIES = {"CN", "RU", "IR", "BY", "KP", "SY", "VE", "AE", "TR", "HK"};

    private SyntheticList() {
    }

    /** A pronounceable made-up word of two or three syllables, some closed by a consonant. */
    public static String word(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = 2 + r.nextInt(2);
        for (int i = 0; i < n; i++) {
            sb.append(ONSETS.charAt(r.nextInt(ONSETS.length()))).append(VOWELS.charAt(r.nextInt(VOWELS.length())));
            if (r.nextInt(3) == 0) {
                sb.append(CODAS.charAt(r.nextInt(CODAS.length())));
            }
        }
        return Character.toUpperCase(sb.charAt(0)) + sb.substring(1);
    }

    public static String name(Random r) {
        int words = 2 + r.nextInt(2);
        StringBuilder sb = new StringBuilder(word(r));
        for (int i = 1; i < words; i++) {
            sb.append(' ').append(word(r));
        }
        return sb + SUFFIXES[r.nextInt(SUFFIXES.length)];
    }

    /** {@code entries} parties with up to two alternate names each. */
    public static List<ListedParty> parties(int entries, long seed) {
        Random r = new Random(seed);
        List<ListedParty> parties = new ArrayList<>(entries);
        for (int i = 0; i < entries; i++) {
            List<String> alt = new ArrayList<>();
            for (int a = r.nextInt(3); a > 0; a--) {
                alt.add(name(r));
            }
            parties.add(new ListedParty("syn-" + i, "Synthetic", "Entity", name(r), alt,
                    List.of(COUNTRIES[r.nextInt(COUNTRIES.length)])));
        }
        return parties;
    }

    /** One typo: a letter changed, dropped or doubled. */
    public static String typo(String name, Random r) {
        int i = 1 + r.nextInt(Math.max(1, name.length() - 2));
        return switch (r.nextInt(3)) {
            case 0 -> name.substring(0, i) + (char) ('a' + r.nextInt(26)) + name.substring(i + 1);
            case 1 -> name.substring(0, i) + name.substring(i + 1);
            default -> name.substring(0, i) + name.charAt(i) + name.substring(i);
        };
    }
}
