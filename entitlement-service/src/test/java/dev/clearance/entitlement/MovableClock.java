package dev.clearance.entitlement;

import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The system clock in UTC unless a test moves it, e.g. to the date a country-group table comes into
 * force. Replaces the service's default {@code Clock} bean in every test of this module; tests that
 * move it put it back afterwards.
 */
@Singleton
public class MovableClock extends Clock {

    private volatile Clock now = Clock.systemUTC();

    public void moveTo(Instant instant) {
        now = Clock.fixed(instant, ZoneOffset.UTC);
    }

    public void reset() {
        now = Clock.systemUTC();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return now.withZone(zone);
    }

    @Override
    public Instant instant() {
        return now.instant();
    }
}
