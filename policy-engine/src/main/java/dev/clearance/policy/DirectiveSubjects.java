package dev.clearance.policy;

import java.util.Objects;
import java.util.Set;

/**
 * Whom a directive applies to.
 *
 * @param countries ISO 3166-1 alpha-2 codes, for NATIONALS_OF; country groups are expanded
 *                  into codes when the snapshot is compiled
 * @param countryGroups EAR country groups such as {@code D:5}, for NATIONALS_OF
 */
public record DirectiveSubjects(Kind kind, Set<String> countries, Set<String> countryGroups, CitizenshipMode mode) {

    public enum Kind {
        /** Not a US citizen, permanent resident or protected individual; UNKNOWN counts as foreign. */
        FOREIGN_PERSONS,
        /** Not a US citizen. */
        NON_CITIZENS,
        NATIONALS_OF
    }

    public enum CitizenshipMode {
        /** The most recent citizenship or permanent residency (EAR). */
        MOST_RECENT,
        /** Any citizenship held (ITAR-style). */
        ANY
    }

    public DirectiveSubjects {
        Objects.requireNonNull(kind, "kind");
        countries = countries == null ? Set.of() : Set.copyOf(countries);
        countryGroups = countryGroups == null ? Set.of() : Set.copyOf(countryGroups);
        mode = mode == null ? CitizenshipMode.MOST_RECENT : mode;
    }

    public static DirectiveSubjects foreignPersons() {
        return new DirectiveSubjects(Kind.FOREIGN_PERSONS, Set.of(), Set.of(), CitizenshipMode.MOST_RECENT);
    }
}
