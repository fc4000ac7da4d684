package dev.clearance.identity.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clearance.identity.validation.CountryCodes;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Lenient reads from vendor JSON: unknown fields are ignored, absent or null fields read as null. */
final class Json {

    private Json() {
    }

    static String text(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        return n == null || !n.isValueNode() || n.isNull() ? null : n.asText();
    }

    static JsonNode at(JsonNode node, String... path) {
        JsonNode n = node;
        for (String p : path) {
            if (n == null || !n.isObject()) {
                return null;
            }
            n = n.get(p);
        }
        return n == null || n.isNull() ? null : n;
    }

    /** A required envelope field. */
    static String required(JsonNode node, String... path) {
        String value = text(node, path);
        if (value == null || value.isBlank()) {
            throw new MalformedEventException("missing " + String.join(".", path));
        }
        return value;
    }

    static Instant instant(String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    /** {@code 2031-04-30}, or the date part of a date-time. */
    static LocalDate date(String value) {
        if (value == null || value.length() < 10) {
            return null;
        }
        try {
            return LocalDate.parse(value.substring(0, 10));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static String country(String value) {
        return CountryCodes.toAlpha2(value).orElse(null);
    }
}
