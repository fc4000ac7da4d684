package dev.clearance.identity.screening;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NameNormaliserTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "Ivan Petrov|ivan petrov",
            "PETROV, Ivan|ivan petrov",
            "Zoltán Kővári-Hegedűs|hegedus kovari zoltan",
            "Müller & Söhne GmbH|muller sohne",
            "Straße der Einheit|der einheit strasse",
            "Łukasz Wałęsa|lukasz walesa",
            "Søren Ærø|aero soren",
            "O'Brien Holdings, Inc.|holdings obrien",
            "Orbital Dynamics Trading Co., Ltd.|dynamics orbital trading",
            "Orbital Dynamics Trading L.L.C.|dynamics orbital trading",
            "  ACME   s.a.  |acme",
            "The Company|company the",
            "Ｆｕｌｌｗｉｄｔｈ Ｎａｍｅ|fullwidth name",
            "J. R. R. Tolkien|jrr tolkien",
            "---|''",
    })
    void normalises(String name, String expected) {
        assertEquals(expected, NameNormaliser.normalise(name));
    }
}
