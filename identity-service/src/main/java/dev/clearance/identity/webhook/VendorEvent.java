package dev.clearance.identity.webhook;

import java.util.List;

/**
 * A vendor's webhook delivery, normalised: its id (the idempotency key), its type, and the
 * document results it carries. No results and a non-null {@code ignoreReason}: nothing to record.
 */
public record VendorEvent(String eventId, String eventType, List<VendorResult> results, String ignoreReason) {

    public VendorEvent {
        results = List.copyOf(results);
    }

    public static VendorEvent ignored(String eventId, String eventType, String reason) {
        return new VendorEvent(eventId, eventType, List.of(), reason);
    }

    public static VendorEvent of(String eventId, String eventType, List<VendorResult> results) {
        return new VendorEvent(eventId, eventType, results, results.isEmpty() ? "no document results" : null);
    }
}
