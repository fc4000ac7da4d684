package dev.clearance.policy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ModelNameTest {

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', value = {
            "fable-5|fable-5",
            "FABLE-5|fable-5",
            "'  fable-5  '|fable-5",
            "\tfable-5\u3000|fable-5",       // tab and ideographic space around
            "ｆａｂｌｅ－５|fable-5",            // full-width letters, hyphen and digit (NFKC)
            "Fable-4.5|fable-4.5",
            "fable-latest|fable-latest",
            "ＦＡＢＬＥ-LATEST|fable-latest",
    })
    void normalisesToTheCanonicalSpelling(String raw, String expected) {
        assertEquals(expected, ModelName.normalise(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "   ",
            "fable\u200b-5",      // zero-width space
            "fable-5\u200d",      // zero-width joiner
            "\ufefffable-5",      // byte-order mark inside after trim? (format char)
            "fab\u00adle-5",      // soft hyphen
            "fable\u0000-5",      // NUL
            "fable\u202e-5",      // right-to-left override
            "fable 5",            // inner space
            "fable\u00a05",       // no-break space
    })
    void rejectsInvisibleControlAndSpaceCharacters(String raw) {
        assertThrows(InvalidModelNameException.class, () -> ModelName.normalise(raw));
    }

    @org.junit.jupiter.api.Test
    void rejectsNullAndOverlongNames() {
        assertThrows(InvalidModelNameException.class, () -> ModelName.normalise(null));
        assertThrows(InvalidModelNameException.class, () -> ModelName.normalise("a".repeat(129)));
        assertEquals("a".repeat(128), ModelName.normalise("A".repeat(128)));
    }
}
