package dev.clearance.api.mapping;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;

import java.time.Instant;

/** Protobuf time types to java.time, where an unset field means "none" (null). */
public final class Timestamps {
    private Timestamps() {
    }

    public static Instant toInstant(Timestamp ts) {
        return ts.getSeconds() == 0 && ts.getNanos() == 0 ? null : Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos());
    }

    public static Timestamp toTimestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    public static java.time.Duration toDuration(Duration d) {
        return d.getSeconds() == 0 && d.getNanos() == 0 ? null : java.time.Duration.ofSeconds(d.getSeconds(), d.getNanos());
    }

    public static Duration toProtoDuration(java.time.Duration d) {
        return Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
    }
}
