package dev.clearance.identity.service;

import dev.clearance.identity.domain.Verification;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Where a verification list page ended: create time (microseconds since the epoch) and id,
 * formatted {@code <micros>-<id>} so it is a valid resource id inside a page token.
 */
public record VerificationPosition(Instant createTime, String id) {

    public static VerificationPosition of(Verification v) {
        return new VerificationPosition(v.createTime(), v.id());
    }

    public String format() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, createTime) + "-" + id;
    }

    /** The token was validated when decoded ({@link dev.clearance.identity.validation.Paging}); null if not ours. */
    public static VerificationPosition parse(String value) {
        int dash = value.indexOf('-');
        if (dash <= 0) {
            return null;
        }
        try {
            long micros = Long.parseLong(value.substring(0, dash));
            return new VerificationPosition(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), value.substring(dash + 1));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
