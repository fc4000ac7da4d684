package dev.clearance.entitlement.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clearance.api.ApiError;
import dev.clearance.entitlement.v1.GetCountryGroupTableRequest;
import dev.clearance.entitlement.v1.LoadCountryGroupTableRequest;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

import static dev.clearance.entitlement.EntitlementErrors.invalid;

/**
 * Checks a country-group table before anything is stored: JSON of the shipped table's shape, a
 * date, at least one group, every group non-empty, every code a known ISO 3166-1 alpha-2 country
 * (ISO 3166-2 for embargoed regions). One field violation per problem, named by its JSON path
 * under {@code document}.
 */
public final class CountryGroupTableRequests {

    private static final Pattern LABEL = Pattern.compile("[A-Z](:[0-9]{1,2})?");
    private static final Pattern SUBDIVISION = Pattern.compile("([A-Z]{2})-[A-Z0-9]{1,3}");
    private static final Pattern NAME = Pattern.compile("countryGroupTables/([0-9]{4}-[0-9]{2}-[0-9]{2})");
    /** The shipped table is about 12 kB; anything near this is not a country-group table. */
    private static final int MAX_DOCUMENT = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private CountryGroupTableRequests() {
    }

    /** The table's effective date when the document is valid; otherwise INVALID_ARGUMENT with every problem. */
    public static LocalDate check(LoadCountryGroupTableRequest r) {
        ApiError errors = invalid();
        Fields.maxLength(errors, "reason", r.getReason(), 2000);
        LocalDate date = document(errors, r.getDocument());
        errors.throwIfViolations();
        return date;
    }

    private static LocalDate document(ApiError errors, String document) {
        if (document.isBlank()) {
            errors.violation("document", "is required: the table as JSON, the shape of ear-country-groups.json");
            return null;
        }
        if (document.length() > MAX_DOCUMENT) {
            errors.violation("document", "must be at most " + MAX_DOCUMENT + " characters");
            return null;
        }
        JsonNode root;
        try {
            root = JSON.readTree(document);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            errors.violation("document", "is not valid JSON" + (at == null ? ""
                    : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
            return null;
        }
        if (root == null || !root.isObject()) {
            errors.violation("document", "must be a JSON object");
            return null;
        }
        LocalDate date = null;
        JsonNode issue = root.get("ecfr_issue_date");
        if (issue == null || !issue.isTextual() || issue.asText().isEmpty()) {
            errors.violation("document.ecfr_issue_date", "is required: the eCFR issue date, YYYY-MM-DD");
        } else {
            try {
                date = LocalDate.parse(issue.asText());
            } catch (DateTimeParseException e) {
                errors.violation("document.ecfr_issue_date", "must be a date YYYY-MM-DD, not \"" + issue.asText() + "\"");
            }
        }
        groups(errors, root.get("groups"));
        embargoes(errors, root.get("comprehensive_embargoes"));
        return date;
    }

    private static void groups(ApiError errors, JsonNode groups) {
        if (groups == null || !groups.isObject()) {
            errors.violation("document.groups", "is required: an object of group label (D:5) to ISO 3166-1 alpha-2 codes");
            return;
        }
        if (groups.isEmpty()) {
            errors.violation("document.groups", "must name at least one group");
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = groups.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> group = it.next();
            String field = "document.groups[\"" + group.getKey() + "\"]";
            if (!LABEL.matcher(group.getKey()).matches()) {
                errors.violation(field, "is not an EAR country group label such as B or D:5");
            }
            JsonNode codes = group.getValue();
            if (!codes.isArray() || codes.isEmpty()) {
                errors.violation(field, "must list at least one ISO 3166-1 alpha-2 country");
                continue;
            }
            for (int i = 0; i < codes.size(); i++) {
                String code = codes.get(i).isTextual() ? codes.get(i).asText() : codes.get(i).toString();
                if (!CountryCodes.isCountry(code)) {
                    errors.violation(field + "[" + i + "]", code + " is not an ISO 3166-1 alpha-2 country code");
                }
            }
        }
    }

    private static void embargoes(ApiError errors, JsonNode embargoes) {
        String field = "document.comprehensive_embargoes";
        if (embargoes == null || !embargoes.isObject()) {
            errors.violation(field, "is required: {\"countries\": {..}, \"regions\": {..}} (15 CFR 746)");
            return;
        }
        JsonNode countries = embargoes.path("countries");
        JsonNode regions = embargoes.path("regions");
        if (countries.isMissingNode() && regions.isMissingNode() || countries.size() + regions.size() == 0) {
            errors.violation(field, "must list at least one embargoed country or region");
            return;
        }
        countries.fieldNames().forEachRemaining(code -> {
            if (!CountryCodes.isCountry(code)) {
                errors.violation(field + ".countries[\"" + code + "\"]", code + " is not an ISO 3166-1 alpha-2 country code");
            }
        });
        regions.fieldNames().forEachRemaining(code -> {
            var m = SUBDIVISION.matcher(code);
            if (!m.matches() || !CountryCodes.isCountry(m.group(1))) {
                errors.violation(field + ".regions[\"" + code + "\"]", code + " is not an ISO 3166-2 subdivision code");
            }
        });
    }

    /** The date a {@code countryGroupTables/{date}} name names; otherwise INVALID_ARGUMENT. */
    public static LocalDate checkName(GetCountryGroupTableRequest r) {
        var m = NAME.matcher(r.getName());
        if (m.matches()) {
            try {
                return LocalDate.parse(m.group(1));
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        throw invalid().violation("name", "must be countryGroupTables/{YYYY-MM-DD}").toException();
    }

    public static String name(LocalDate date) {
        return "countryGroupTables/" + date;
    }
}
