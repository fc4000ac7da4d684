package dev.clearance.identity.validation;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** ISO 3166-1 country codes, upper-case, as the JDK knows them. */
public final class CountryCodes {

    private static final Set<String> CODES = Set.copyOf(Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA2));
    private static final Map<String, String> ALPHA3_TO_ALPHA2 = alpha3ToAlpha2();

    private CountryCodes() {
    }

    public static boolean isValid(String code) {
        return code != null && CODES.contains(code);
    }

    /**
     * The alpha-2 code for an alpha-2 or alpha-3 code in any case (vendors use both: Onfido
     * sends {@code GBR}, Stripe {@code GB}); empty when it names no country.
     */
    public static Optional<String> toAlpha2(String code) {
        if (code == null) {
            return Optional.empty();
        }
        String upper = code.strip().toUpperCase(Locale.ROOT);
        if (upper.length() == 2) {
            return isValid(upper) ? Optional.of(upper) : Optional.empty();
        }
        return Optional.ofNullable(ALPHA3_TO_ALPHA2.get(upper));
    }

    private static Map<String, String> alpha3ToAlpha2() {
        Map<String, String> map = new HashMap<>();
        for (String alpha2 : CODES) {
            map.put(new Locale("", alpha2).getISO3Country(), alpha2);
        }
        return Map.copyOf(map);
    }
}
