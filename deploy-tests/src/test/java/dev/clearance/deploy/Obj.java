package dev.clearance.deploy;

import java.util.List;
import java.util.Map;

/** Reading the plain maps and lists a YAML document parses into. */
final class Obj {

    private Obj() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o instanceof List<?> l ? (List<Object>) l : List.of();
    }

    static String str(Object o) {
        return o == null ? null : o.toString();
    }

    /** The value at a path of keys, or null. */
    static Object at(Object root, String... path) {
        Object current = root;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(key);
        }
        return current;
    }

    static Map<String, Object> mapAt(Object root, String... path) {
        return map(at(root, path));
    }

    static List<Object> listAt(Object root, String... path) {
        return list(at(root, path));
    }

    static String strAt(Object root, String... path) {
        return str(at(root, path));
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> labels(Object selectorOrLabels) {
        return (Map<String, String>) (Map<?, ?>) map(selectorOrLabels);
    }
}
