package dev.clearance.entitlement.validation;

import dev.clearance.api.ApiError;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A validated page of a List call: keyset pagination after the last key of the previous
 * page. The token is opaque to clients (base64url) and bound to the query it came from, so a
 * token of one list cannot be replayed against another.
 *
 * @param size  rows to return (1 to 1000, default 50)
 * @param after the last key of the previous page, or null for the first page
 */
public record PageRequest(int size, String after) {

    public static final int DEFAULT_SIZE = 50;
    public static final int MAX_SIZE = 1000;
    private static final String VERSION = "v1";

    /**
     * @param query what is listed, such as {@code families} or {@code families/fable/versions}
     */
    public static PageRequest parse(ApiError errors, int pageSize, String pageToken, String query) {
        int size = DEFAULT_SIZE;
        if (pageSize < 0) {
            errors.violation("page_size", "must not be negative");
        } else if (pageSize > 0) {
            size = Math.min(pageSize, MAX_SIZE);
        }
        String after = null;
        if (!pageToken.isEmpty()) {
            after = decode(pageToken, query);
            if (after == null) {
                errors.violation("page_token", "is not a page token of this list");
            }
        }
        return new PageRequest(size, after);
    }

    /** Rows to fetch: one more than the page, to know whether another page follows. */
    public int fetchSize() {
        return size + 1;
    }

    public static String token(String query, String lastKey) {
        String raw = VERSION + "\n" + query + "\n" + lastKey;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String token, String query) {
        String raw;
        try {
            raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String[] parts = raw.split("\n", 3);
        if (parts.length != 3 || !VERSION.equals(parts[0]) || !query.equals(parts[1]) || parts[2].isEmpty()) {
            return null;
        }
        return parts[2];
    }
}
