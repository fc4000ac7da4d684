package dev.clearance.policy;

import java.time.LocalDate;
import java.util.Map;
import java.util.Set;

/**
 * A dated EAR country-group table (15 CFR 740 Supp. 1) and the Part 746 embargoes.
 *
 * @param issueDate the eCFR issue the table reflects; directives record it
 * @param groups    group label ({@code D:5}) to ISO 3166-1 alpha-2 codes
 * @param embargoed countries and regions (ISO 3166-1 or 3166-2) under comprehensive embargo
 */
public record CountryGroups(LocalDate issueDate, Map<String, Set<String>> groups, Set<String> embargoed) {
    public static final CountryGroups EMPTY = new CountryGroups(null, Map.of(), Set.of());

    public CountryGroups {
        groups = Map.copyOf(groups);
        embargoed = Set.copyOf(embargoed);
    }
}
