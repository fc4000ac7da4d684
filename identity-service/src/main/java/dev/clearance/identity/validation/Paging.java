package dev.clearance.identity.validation;

import dev.clearance.api.ApiError;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * List paging: {@code page_size} (default 50, at most 1000; larger values are lowered) and an
 * opaque {@code page_token} that carries the last id returned, bound to one collection so a
 * token from another list is rejected.
 */
public final class Paging {

    public static final int DEFAULT_PAGE_SIZE = 50;
    public static final int MAX_PAGE_SIZE = 1000;

    /** @param afterId null for the first page */
    public record Page(int size, String afterId) {
    }

    private Paging() {
    }

    public static Page parse(String collection, int pageSize, String pageToken, ApiError errors) {
        int size = pageSize == 0 ? DEFAULT_PAGE_SIZE : Math.min(pageSize, MAX_PAGE_SIZE);
        if (pageSize < 0) {
            errors.violation("page_size", "must not be negative");
        }
        String afterId = null;
        if (!pageToken.isEmpty()) {
            afterId = decode(collection, pageToken);
            if (afterId == null) {
                errors.violation("page_token", "is not a page token of this list; pass the next_page_token you were given");
            }
        }
        return new Page(size, afterId);
    }

    public static String token(String collection, String lastId) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((collection + "/" + lastId).getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String collection, String token) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            return ResourceIds.parse(collection, text).orElse(null);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
