package dev.clearance.entitlement.domain;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DirectiveStateTest {

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource({
            "DRAFT, SHADOW, true",
            "SUSPENDED, SHADOW, true",
            "SHADOW, SHADOW, false",
            "ENFORCED, SHADOW, false",
            "REVOKED, SHADOW, false",
            "DRAFT, ENFORCED, true",
            "SHADOW, ENFORCED, true",
            "SUSPENDED, ENFORCED, true",
            "ENFORCED, ENFORCED, false",
            "REVOKED, ENFORCED, false",
            "DRAFT, REVOKED, true",
            "SHADOW, REVOKED, true",
            "ENFORCED, REVOKED, true",
            "SUSPENDED, REVOKED, true",
            "REVOKED, REVOKED, false",
            "ENFORCED, DRAFT, false",
            "ENFORCED, SUSPENDED, true",
            "SHADOW, SUSPENDED, false",
            "DRAFT, SUSPENDED, false",
            "SUSPENDED, SUSPENDED, false",
            "REVOKED, SUSPENDED, false",
    })
    void lifecycle(DirectiveState from, DirectiveState to, boolean allowed) {
        assertEquals(allowed, to.canMoveFrom(from));
    }

    @ParameterizedTest
    @CsvSource({"DRAFT, false", "SHADOW, true", "ENFORCED, true", "SUSPENDED, false", "REVOKED, false"})
    void onlyShadowAndEnforcedReachTheSnapshot(DirectiveState state, boolean inSnapshot) {
        assertEquals(inSnapshot, state.inSnapshot());
    }
}
