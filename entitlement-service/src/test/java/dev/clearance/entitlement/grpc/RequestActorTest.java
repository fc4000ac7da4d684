package dev.clearance.entitlement.grpc;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RequestActorTest {

    @Test
    void missingOrBlankIsUnknown() {
        assertEquals("unknown", RequestActor.sanitise(null));
        assertEquals("unknown", RequestActor.sanitise("   "));
    }

    @Test
    void keepsPrintableAsciiOnlyAndBoundsLength() {
        assertEquals("alice@compliance", RequestActor.sanitise(" alice@compliance "));
        assertEquals("alicefake-line", RequestActor.sanitise("alice\nfake-line"));
        assertEquals(256, RequestActor.sanitise("x".repeat(1000)).length());
    }
}
