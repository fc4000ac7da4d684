package dev.clearance.entitlement.validation;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import dev.clearance.api.ApiError;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Field checks shared by every request validator. Each check adds one BadRequest field
 * violation to {@code errors} per problem and returns whether the value is usable, so callers
 * can skip checks that depend on it.
 */
public final class Fields {

    /** Resource ids: lower-case letters, digits and hyphens, 1 to 63 characters. */
    public static final Pattern ID = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    /** Model version and alias ids also allow dots ({@code fable-4.5}). */
    public static final Pattern MODEL_ID = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?");
    /** A version id or a prefix ending in {@code *} ({@code lyric-*}). */
    public static final Pattern MODEL_PATTERN = Pattern.compile("[a-z0-9.-]+\\*?");
    public static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    /** ISO 3166-1 alpha-2, or ISO 3166-2 ({@code UA-43}). */
    public static final Pattern REGION = Pattern.compile("[A-Z]{2}(-[A-Z0-9]{1,3})?");

    static final String ID_RULE = "must be 1 to 63 lower-case letters, digits or hyphens, starting and ending with a letter or digit";
    static final String MODEL_ID_RULE = "must be 1 to 63 lower-case letters, digits, dots or hyphens, starting and ending with a letter or digit";
    private static final int MAX_PATTERN_LENGTH = 64;
    /** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, the range protobuf Timestamps allow. */
    private static final long MIN_SECONDS = -62135596800L;
    private static final long MAX_SECONDS = 253402300799L;

    private Fields() {
    }

    public static boolean id(ApiError errors, String field, String value) {
        return matches(errors, field, value, ID, ID_RULE);
    }

    public static boolean modelId(ApiError errors, String field, String value) {
        return matches(errors, field, value, MODEL_ID, MODEL_ID_RULE);
    }

    /**
     * The id in {@code collection/{id}}, or null (with a violation) when {@code name} has another shape.
     */
    public static String resourceId(ApiError errors, String field, String name, String collection) {
        return resourceId(errors, field, name, collection, ID);
    }

    public static String modelResourceId(ApiError errors, String field, String name, String collection) {
        return resourceId(errors, field, name, collection, MODEL_ID);
    }

    private static String resourceId(ApiError errors, String field, String name, String collection, Pattern idPattern) {
        String prefix = collection + "/";
        if (name == null || name.isEmpty()) {
            errors.violation(field, "is required (" + collection + "/{id})");
            return null;
        }
        if (!name.startsWith(prefix) || !idPattern.matcher(name.substring(prefix.length())).matches()) {
            errors.violation(field, "must be a resource name " + collection + "/{id} with a valid id");
            return null;
        }
        return name.substring(prefix.length());
    }

    /** Whether {@code name} is {@code collection/{id}} for one of the collections; adds a violation if not. */
    public static boolean oneOfResources(ApiError errors, String field, String name, List<String> collections) {
        for (String c : collections) {
            String prefix = c + "/";
            if (name.startsWith(prefix) && ID.matcher(name.substring(prefix.length())).matches()) {
                return true;
            }
        }
        errors.violation(field, "must name a resource: " + String.join("/{id}, ", collections) + "/{id}");
        return false;
    }

    /** An update mask: at least one path, each one of {@code mutable}. */
    public static void updateMask(ApiError errors, com.google.protobuf.FieldMask mask, Set<String> mutable) {
        if (mask.getPathsCount() == 0) {
            errors.violation("update_mask", "is required: name the fields to change (" + String.join(", ", mutable) + ")");
        }
        for (int i = 0; i < mask.getPathsCount(); i++) {
            if (!mutable.contains(mask.getPaths(i))) {
                errors.violation("update_mask.paths[" + i + "]", "cannot update " + mask.getPaths(i) + "; updatable: "
                        + String.join(", ", mutable));
            }
        }
    }

    public static boolean required(ApiError errors, String field, String value) {
        if (value == null || value.isBlank()) {
            errors.violation(field, "is required");
            return false;
        }
        return true;
    }

    public static boolean maxLength(ApiError errors, String field, String value, int max) {
        if (value != null && value.length() > max) {
            errors.violation(field, "must be at most " + max + " characters");
            return false;
        }
        return true;
    }

    /** Model patterns: each valid and distinct; {@code required} demands at least one. */
    public static void patterns(ApiError errors, String field, List<String> patterns, boolean required) {
        if (required && patterns.isEmpty()) {
            errors.violation(field, "must list at least one model pattern");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < patterns.size(); i++) {
            String p = patterns.get(i);
            String at = field + "[" + i + "]";
            if (p.length() > MAX_PATTERN_LENGTH || !MODEL_PATTERN.matcher(p).matches()) {
                errors.violation(at, "must be a model version id or a prefix ending in * (lower-case letters, digits, dots, hyphens)");
            } else if (!seen.add(p)) {
                errors.violation(at, "repeats " + p);
            }
        }
    }

    public static boolean timestamp(ApiError errors, String field, Timestamp ts) {
        if (ts.getSeconds() < MIN_SECONDS || ts.getSeconds() > MAX_SECONDS || ts.getNanos() < 0 || ts.getNanos() > 999_999_999) {
            errors.violation(field, "is not a valid timestamp");
            return false;
        }
        return true;
    }

    /** Optional start and end; when both are set, start must be before end. */
    public static void interval(ApiError errors, String startField, boolean hasStart, Timestamp start,
                                String endField, boolean hasEnd, Timestamp end) {
        boolean startOk = !hasStart || timestamp(errors, startField, start);
        boolean endOk = !hasEnd || timestamp(errors, endField, end);
        if (hasStart && hasEnd && startOk && endOk && compare(start, end) >= 0) {
            errors.violation(endField, "must be after " + startField);
        }
    }

    /** A positive whole number of seconds. */
    public static boolean positiveSeconds(ApiError errors, String field, Duration d) {
        if (d.getSeconds() <= 0 || d.getNanos() != 0) {
            errors.violation(field, "must be a positive whole number of seconds");
            return false;
        }
        return true;
    }

    public static int compare(Timestamp a, Timestamp b) {
        int bySeconds = Long.compare(a.getSeconds(), b.getSeconds());
        return bySeconds != 0 ? bySeconds : Integer.compare(a.getNanos(), b.getNanos());
    }

    private static boolean matches(ApiError errors, String field, String value, Pattern pattern, String rule) {
        if (value == null || value.isEmpty()) {
            errors.violation(field, "is required");
            return false;
        }
        if (!pattern.matcher(value).matches()) {
            errors.violation(field, rule);
            return false;
        }
        return true;
    }
}
