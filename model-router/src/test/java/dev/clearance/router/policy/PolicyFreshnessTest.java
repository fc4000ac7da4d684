package dev.clearance.router.policy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyFreshnessTest {

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final PolicyFreshness freshness = new PolicyFreshness(Duration.ofSeconds(10), clock::get);

    private void advance(Duration d) {
        clock.addAndGet(d.toNanos());
    }

    @Test
    void staleUntilTheControlPlaneIsFirstHeard() {
        assertTrue(freshness.isStale());
        assertNull(freshness.sinceHeard());
        freshness.heard();
        assertFalse(freshness.isStale());
        assertEquals(Duration.ZERO, freshness.sinceHeard());
    }

    @Test
    void turnsStaleOnlyPastTheBoundAndRecoversWhenHeardAgain() {
        freshness.heard();
        advance(Duration.ofSeconds(10));
        assertFalse(freshness.isStale(), "exactly the bound is still fresh");
        advance(Duration.ofNanos(1));
        assertTrue(freshness.isStale());
        advance(Duration.ofMinutes(5));
        assertTrue(freshness.isStale());
        assertEquals(Duration.ofMinutes(5).plusSeconds(10).plusNanos(1), freshness.sinceHeard());

        freshness.heard();
        assertFalse(freshness.isStale(), "recovers by itself when heartbeats resume");
        advance(Duration.ofSeconds(9));
        freshness.heard();
        advance(Duration.ofSeconds(9));
        assertFalse(freshness.isStale(), "each heartbeat restarts the bound");
    }

    @Test
    void theBoundMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new PolicyFreshness(Duration.ZERO, clock::get));
    }
}
