package dev.clearance.identity.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clearance.identity.domain.DocumentClass;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Onfido webhooks: {@code payload.action} is the event type and {@code payload.object} the check
 * ({@code id}, {@code status}, {@code completed_at_iso8601}, {@code href}). Onfido sends no event
 * id, so the id is {@code <action>:<object id>:<completed_at>}, which also tells a re-completed
 * (reopened) check from a redelivery.
 *
 * <p>Onfido's {@code check.completed} names the check but does not carry its reports; they are
 * read from {@code payload.resource}: the check as the API returns it, with its {@code reports}
 * embedded (fetching them from the Onfido API is not built). The person is the check tag
 * {@code persons/{id}} given when the check is created (Onfido applicants have no external id;
 * check tags are the field for our reference), else the workflow run's {@code customer_user_id}.
 */
final class OnfidoEvents {

    /** Onfido document types with a meaning here; others (driving_licence, national_identity_card, ...) have none. */
    private static final Map<String, DocumentClass> DOCUMENT_TYPES = Map.of(
            "passport", DocumentClass.PASSPORT,
            "passport_card", DocumentClass.PASSPORT_CARD,
            "proof_of_citizenship", DocumentClass.CERTIFICATE_OF_NATURALISATION_OR_CITIZENSHIP,
            "residence_permit", DocumentClass.PERMANENT_RESIDENT_CARD,
            "visa", DocumentClass.VISA,
            "work_permit", DocumentClass.EMPLOYMENT_AUTHORISATION_DOCUMENT);

    private OnfidoEvents() {
    }

    static VendorEvent normalise(JsonNode root) {
        String action = Json.required(root, "payload", "action");
        String objectId = Json.required(root, "payload", "object", "id");
        String completedAt = Json.text(root, "payload", "object", "completed_at_iso8601");
        String eventId = action + ":" + objectId + (completedAt == null ? "" : ":" + completedAt);
        if (!action.equals("check.completed")) {
            return VendorEvent.ignored(eventId, action, "event type " + action + " carries no check result");
        }
        JsonNode check = Json.at(root, "payload", "resource");
        JsonNode reports = check == null ? null : check.get("reports");
        if (reports == null || !reports.isArray()) {
            return VendorEvent.ignored(eventId, action, "check " + objectId + " arrived without its reports");
        }
        String reference = null;
        JsonNode tags = check.get("tags");
        if (tags != null && tags.isArray()) {
            for (JsonNode tag : tags) {
                if (tag.isTextual() && tag.asText().startsWith("persons/")) {
                    reference = tag.asText();
                    break;
                }
            }
        }
        if (reference == null) {
            reference = Json.text(check, "customer_user_id");
        }
        boolean faceMatched = false;
        for (JsonNode r : reports) {
            String name = Json.text(r, "name");
            if (name != null && name.startsWith("facial_similarity") && "clear".equals(Json.text(r, "result"))) {
                faceMatched = true;
            }
        }
        Instant completed = Json.instant(completedAt);
        List<VendorResult> results = new ArrayList<>();
        for (JsonNode r : reports) {
            if (!"document".equals(Json.text(r, "name")) || Json.text(r, "result") == null) {
                continue;
            }
            String documentType = Json.text(r, "properties", "document_type");
            String result = Json.text(r, "result");
            String subResult = Json.text(r, "sub_result");
            Instant verifyTime = completed != null ? completed : Json.instant(Json.text(r, "created_at"));
            results.add(VendorDocuments.result(reference, Json.text(r, "id"), "onfido document_type " + documentType,
                    documentType == null ? null : DOCUMENT_TYPES.get(documentType),
                    Json.country(Json.text(r, "properties", "issuing_country")),
                    Json.country(Json.text(r, "properties", "nationality")),
                    faceMatched, verifyTime, Json.date(Json.text(r, "properties", "date_of_expiry")),
                    "clear".equals(result),
                    "onfido check.completed: document report " + result + (subResult == null ? "" : " (" + subResult + ")")));
        }
        return VendorEvent.of(eventId, action, results);
    }
}
