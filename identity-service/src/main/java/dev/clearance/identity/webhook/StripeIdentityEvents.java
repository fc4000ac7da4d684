package dev.clearance.identity.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clearance.identity.domain.DocumentClass;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Stripe Identity events: {@code identity.verification_session.verified} and
 * {@code .requires_input} (a failed check) carry a decision; other session events are
 * acknowledged and ignored. The person is the session's {@code metadata.person}, else its
 * {@code client_reference_id}, set to {@code persons/{id}} when the session is created.
 *
 * <p>The document details live in the VerificationReport. Stripe sends
 * {@code last_verification_report} as an id unless it was expanded; only an expanded report can
 * be ingested here (fetching it from the Stripe API is not built), so a bare id is acknowledged
 * and recorded as ignored with that reason.
 */
final class StripeIdentityEvents {

    private static final String PREFIX = "identity.verification_session.";

    private StripeIdentityEvents() {
    }

    static VendorEvent normalise(JsonNode root) {
        String eventId = Json.required(root, "id");
        String type = Json.required(root, "type");
        boolean verified = type.equals(PREFIX + "verified");
        if (!verified && !type.equals(PREFIX + "requires_input")) {
            return VendorEvent.ignored(eventId, type, "event type " + type + " carries no verification decision");
        }
        JsonNode session = Json.at(root, "data", "object");
        if (session == null) {
            throw new MalformedEventException("missing data.object");
        }
        String reference = Json.text(session, "metadata", "person");
        if (reference == null) {
            reference = Json.text(session, "client_reference_id");
        }
        JsonNode report = session.get("last_verification_report");
        if (report == null || report.isNull()) {
            return VendorEvent.ignored(eventId, type, "no verification report");
        }
        if (report.isTextual()) {
            return VendorEvent.ignored(eventId, type, "verification report " + report.asText()
                    + " is not expanded; its document cannot be read from the event");
        }
        JsonNode document = report.get("document");
        if (document == null || document.isNull()) {
            return VendorEvent.ignored(eventId, type, "the report has no document check");
        }
        String documentType = Json.text(document, "type");
        boolean documentVerified = "verified".equals(Json.text(document, "status"));
        boolean selfieMatched = "verified".equals(Json.text(report, "selfie", "status"));
        String error = Json.text(document, "error", "code");
        if (error == null) {
            error = Json.text(session, "last_error", "code");
        }
        String created = Json.text(report, "created");
        Instant verifyTime = created == null ? null : Instant.ofEpochSecond(Long.parseLong(created));
        boolean passed = verified && documentVerified;
        VendorResult result = VendorDocuments.result(reference, Json.text(report, "id"), "stripe document " + documentType,
                "passport".equals(documentType) ? DocumentClass.PASSPORT : null,
                Json.country(Json.text(document, "issuing_country")), null, selfieMatched, verifyTime,
                expiry(document.get("expiration_date")), passed,
                "stripe " + type + (error == null ? "" : ": " + error));
        return VendorEvent.of(eventId, type, List.of(result));
    }

    private static LocalDate expiry(JsonNode date) {
        if (date == null || !date.isObject() || !date.hasNonNull("year")) {
            return null;
        }
        try {
            return LocalDate.of(date.get("year").asInt(), date.path("month").asInt(1), date.path("day").asInt(1));
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }
}
