package dev.clearance.entitlement.validation;

import dev.clearance.api.ApiError;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PageRequestTest {

    private static ApiError errors() {
        return ApiError.invalidArgument("test");
    }

    @Test
    void defaultsAndCapsThePageSize() {
        ApiError e = errors();
        assertEquals(50, PageRequest.parse(e, 0, "", "tiers").size());
        assertEquals(7, PageRequest.parse(e, 7, "", "tiers").size());
        assertEquals(1000, PageRequest.parse(e, 5000, "", "tiers").size());
        assertFalse(e.hasViolations());
    }

    @Test
    void negativeSizeIsAViolation() {
        ApiError e = errors();
        PageRequest.parse(e, -1, "", "tiers");
        assertTrue(e.hasViolations());
    }

    @Test
    void tokenRoundTripsOnlyForItsOwnList() {
        String token = PageRequest.token("tiers", "pro");
        ApiError ok = errors();
        PageRequest page = PageRequest.parse(ok, 10, token, "tiers");
        assertEquals("pro", page.after());
        assertFalse(ok.hasViolations());

        ApiError other = errors();
        assertNull(PageRequest.parse(other, 10, token, "directives").after());
        assertTrue(other.hasViolations(), "a token of another list is refused");

        ApiError garbage = errors();
        PageRequest.parse(garbage, 10, "%%%not-base64", "tiers");
        assertTrue(garbage.hasViolations());
    }
}
