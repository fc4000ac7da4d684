package dev.clearance.entitlement.service;

import dev.clearance.entitlement.validation.PageRequest;

import java.util.List;
import java.util.function.Function;

/** One page of a List call and the token of the next one ("" on the last page). */
public record Page<T>(List<T> items, String nextPageToken) {

    /** From rows fetched with {@link PageRequest#fetchSize()}: the extra row only says another page follows. */
    public static <T> Page<T> of(List<T> rows, PageRequest request, String query, Function<T, String> key) {
        if (rows.size() <= request.size()) {
            return new Page<>(rows, "");
        }
        List<T> items = rows.subList(0, request.size());
        return new Page<>(items, PageRequest.token(query, key.apply(items.get(items.size() - 1))));
    }

    public <R> Page<R> map(Function<T, R> f) {
        return new Page<>(items.stream().map(f).toList(), nextPageToken);
    }
}
