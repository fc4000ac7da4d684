package dev.clearance.api.mapping;

/** AIP resource names: {@code collection/id}. */
public final class ResourceNames {
    private ResourceNames() {
    }

    /** The id after {@code collection/}; the input unchanged when it has another shape. */
    public static String id(String collection, String name) {
        String prefix = collection + "/";
        return name.startsWith(prefix) ? name.substring(prefix.length()) : name;
    }

    /** The last path segment of a resource name. */
    public static String lastSegment(String name) {
        return name.substring(name.lastIndexOf('/') + 1);
    }

    public static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
