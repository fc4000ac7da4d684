package dev.clearance.identity.webhook;

import java.util.List;

/**
 * What a delivery did: {@code processed} (evidence recorded or changed), {@code ignored}
 * (accepted, nothing to record) or {@code duplicate} (seen before, nothing written).
 *
 * @param evidence names of the verifications recorded or changed
 */
public record IngestResult(String status, String event, List<String> evidence, String detail) {

    public static final String PROCESSED = "processed";
    public static final String IGNORED = "ignored";
    public static final String DUPLICATE = "duplicate";

    public IngestResult {
        evidence = List.copyOf(evidence);
    }

    public static IngestResult duplicate(String eventId) {
        return new IngestResult(DUPLICATE, eventId, List.of(), "event already received; nothing written");
    }
}
