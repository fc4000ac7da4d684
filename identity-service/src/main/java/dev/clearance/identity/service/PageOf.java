package dev.clearance.identity.service;

import java.util.List;

/** One page of a list; {@code nextPageToken} is empty on the last page. */
public record PageOf<T>(List<T> items, String nextPageToken) {
}
