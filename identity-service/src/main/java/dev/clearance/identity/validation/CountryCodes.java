package dev.clearance.identity.validation;

import java.util.Locale;
import java.util.Set;

/** ISO 3166-1 alpha-2 codes, upper-case, as the JDK knows them. */
public final class CountryCodes {

    private static final Set<String> CODES = Set.copyOf(Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA2));

    private CountryCodes() {
    }

    public static boolean isValid(String code) {
        return code != null && CODES.contains(code);
    }
}
