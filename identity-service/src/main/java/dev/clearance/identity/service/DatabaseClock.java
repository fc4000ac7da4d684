package dev.clearance.identity.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The current time at the precision PostgreSQL stores (microseconds), so a value returned right
 * after a write equals the one read back later.
 */
@ApplicationScoped
public class DatabaseClock {

    private final Clock clock;

    @Inject
    public DatabaseClock(Clock clock) {
        this.clock = clock;
    }

    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
