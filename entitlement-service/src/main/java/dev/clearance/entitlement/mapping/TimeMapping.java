package dev.clearance.entitlement.mapping;

import com.google.protobuf.Timestamp;

import java.time.Instant;

/** Protobuf timestamps and stored instants. PostgreSQL keeps microseconds, so nanos are truncated on write. */
public final class TimeMapping {
    private TimeMapping() {
    }

    public static Timestamp toTimestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    public static Instant toInstant(Timestamp ts) {
        return Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos() / 1000 * 1000);
    }

    /** Now, at the precision the database stores. */
    public static Instant now() {
        Instant now = Instant.now();
        return now.minusNanos(now.getNano() % 1000);
    }
}
