package dev.clearance.entitlement.validation;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The ISO 3166-1 alpha-2 codes a directive or a country-group table may name: the JDK's list plus
 * XK (Kosovo), which is user-assigned but used by the EAR tables. One list, so a code a table may
 * carry is always one a directive may name.
 */
public final class CountryCodes {

    private static final Set<String> CODES = codes();

    private CountryCodes() {
    }

    private static Set<String> codes() {
        Set<String> codes = new HashSet<>(Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA2));
        codes.add("XK");
        return Set.copyOf(codes);
    }

    public static boolean isCountry(String code) {
        return CODES.contains(code);
    }
}
