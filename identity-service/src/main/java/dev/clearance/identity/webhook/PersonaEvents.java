package dev.clearance.identity.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clearance.identity.domain.DocumentClass;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Persona webhook events (JSON:API): {@code data.id} is the event id, {@code data.attributes.name}
 * its type, {@code data.attributes.payload} the inquiry or verification with related objects in
 * {@code included}. The person is the inquiry's {@code reference-id}, set to {@code persons/{id}}
 * when the inquiry is created. Each government-id verification becomes one piece of evidence.
 */
final class PersonaEvents {

    private static final String GOVERNMENT_ID = "verification/government-id";
    private static final String SELFIE = "verification/selfie";

    /** Persona id classes with a meaning here; others (dl, id, rp, ...) establish no citizenship or US status. */
    private static final Map<String, DocumentClass> ID_CLASSES = Map.of(
            "pp", DocumentClass.PASSPORT,
            "ppc", DocumentClass.PASSPORT_CARD,
            "cct", DocumentClass.CERTIFICATE_OF_NATURALISATION_OR_CITIZENSHIP,
            "pr", DocumentClass.PERMANENT_RESIDENT_CARD,
            "td", DocumentClass.REFUGEE_TRAVEL_DOCUMENT,
            "visa", DocumentClass.VISA,
            "wp", DocumentClass.EMPLOYMENT_AUTHORISATION_DOCUMENT);

    private static final Set<String> INQUIRY_DECISIONS = Set.of("inquiry.completed", "inquiry.approved",
            "inquiry.failed", "inquiry.declined");
    private static final Set<String> VERIFICATION_DECISIONS = Set.of("verification.passed", "verification.failed");

    private PersonaEvents() {
    }

    static VendorEvent normalise(JsonNode root) {
        String eventId = Json.required(root, "data", "id");
        String name = Json.required(root, "data", "attributes", "name");
        JsonNode payload = Json.at(root, "data", "attributes", "payload");
        if (payload == null) {
            throw new MalformedEventException("missing data.attributes.payload");
        }
        List<JsonNode> included = new ArrayList<>();
        JsonNode inc = payload.get("included");
        if (inc != null && inc.isArray()) {
            inc.forEach(included::add);
        }
        boolean selfieMatched = included.stream()
                .anyMatch(n -> SELFIE.equals(Json.text(n, "type")) && "passed".equals(Json.text(n, "attributes", "status")));

        if (INQUIRY_DECISIONS.contains(name)) {
            JsonNode inquiry = payload.get("data");
            String reference = Json.text(inquiry, "attributes", "reference-id");
            boolean inquiryPassed = name.equals("inquiry.completed") || name.equals("inquiry.approved");
            List<VendorResult> results = new ArrayList<>();
            for (JsonNode n : included) {
                if (GOVERNMENT_ID.equals(Json.text(n, "type"))) {
                    VendorResult r = governmentId(n, reference, selfieMatched, inquiryPassed, name);
                    if (r != null) {
                        results.add(r);
                    }
                }
            }
            return VendorEvent.of(eventId, name, results);
        }
        if (VERIFICATION_DECISIONS.contains(name)) {
            JsonNode verification = payload.get("data");
            if (!GOVERNMENT_ID.equals(Json.text(verification, "type"))) {
                return VendorEvent.ignored(eventId, name, "not a government-id verification");
            }
            String reference = included.stream()
                    .filter(n -> "inquiry".equals(Json.text(n, "type")))
                    .map(n -> Json.text(n, "attributes", "reference-id"))
                    .filter(r -> r != null)
                    .findFirst().orElse(null);
            VendorResult r = governmentId(verification, reference, selfieMatched, true, name);
            return r == null ? VendorEvent.ignored(eventId, name, "verification not decided")
                    : VendorEvent.of(eventId, name, List.of(r));
        }
        return VendorEvent.ignored(eventId, name, "event type " + name + " carries no verification decision");
    }

    /** Null while the verification has no outcome yet (initiated, submitted). */
    private static VendorResult governmentId(JsonNode v, String reference, boolean selfieMatched, boolean inquiryPassed,
                                             String eventName) {
        String status = Json.text(v, "attributes", "status");
        if (!"passed".equals(status) && !"failed".equals(status)) {
            return null;
        }
        String idClass = Json.text(v, "attributes", "id-class");
        Instant completed = Json.instant(Json.text(v, "attributes", "completed-at"));
        boolean passed = "passed".equals(status) && inquiryPassed;
        return VendorDocuments.result(reference, Json.text(v, "id"), "persona id-class " + idClass,
                idClass == null ? null : ID_CLASSES.get(idClass),
                Json.country(Json.text(v, "attributes", "country-code")),
                Json.country(Json.text(v, "attributes", "nationality")),
                selfieMatched, completed, Json.date(Json.text(v, "attributes", "expiration-date")), passed,
                "persona " + eventName + ": government id " + status);
    }
}
