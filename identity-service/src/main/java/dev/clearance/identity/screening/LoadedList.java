package dev.clearance.identity.screening;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed list, immutable, with every name and alternate name normalised once and an index
 * from each word's first two letters to the names containing such a word.
 *
 * @param source  where it was loaded from
 * @param version lower-case hex SHA-256 of the file
 */
public record LoadedList(String source, String version, Instant loadTime, List<ListedParty> parties,
                         String[] names, String[] listedNames, int[] partyOfName, Map<String, int[]> index) {

    public static LoadedList of(String source, String version, Instant loadTime, List<ListedParty> parties) {
        List<String> normalised = new ArrayList<>();
        List<String> listed = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        Map<String, List<Integer>> postings = new HashMap<>();
        for (int p = 0; p < parties.size(); p++) {
            for (String name : parties.get(p).allNames()) {
                List<String> tokens = NameNormaliser.tokens(name);
                if (tokens.isEmpty()) {
                    continue;
                }
                int n = normalised.size();
                normalised.add(String.join(" ", tokens));
                listed.add(name);
                owners.add(p);
                for (String key : Screener.blockingKeys(tokens)) {
                    List<Integer> list = postings.computeIfAbsent(key, k -> new ArrayList<>());
                    if (list.isEmpty() || list.get(list.size() - 1) != n) {
                        list.add(n);
                    }
                }
            }
        }
        Map<String, int[]> index = new HashMap<>();
        postings.forEach((k, v) -> index.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
        return new LoadedList(source, version, loadTime, List.copyOf(parties), normalised.toArray(String[]::new),
                listed.toArray(String[]::new), owners.stream().mapToInt(Integer::intValue).toArray(), Map.copyOf(index));
    }

    public int nameCount() {
        return names.length;
    }
}
