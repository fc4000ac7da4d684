package dev.clearance.deploy;

import java.util.List;
import java.util.Map;

/** Kubernetes label selectors: a LabelSelector (matchLabels, matchExpressions) or a Service's plain map. */
final class Selectors {

    private Selectors() {
    }

    /** A LabelSelector. An empty one selects everything (as in a NetworkPolicy's podSelector: {}). */
    static boolean matches(Map<String, Object> selector, Map<String, String> labels) {
        for (Map.Entry<String, String> required : Obj.labels(selector.get("matchLabels")).entrySet()) {
            if (!String.valueOf(required.getValue()).equals(labels.get(required.getKey()))) {
                return false;
            }
        }
        for (Object e : Obj.list(selector.get("matchExpressions"))) {
            String key = Obj.strAt(e, "key");
            String operator = Obj.strAt(e, "operator");
            List<Object> values = Obj.listAt(e, "values");
            String value = labels.get(key);
            boolean ok = switch (operator == null ? "" : operator) {
                case "In" -> value != null && values.stream().map(String::valueOf).anyMatch(value::equals);
                case "NotIn" -> value == null || values.stream().map(String::valueOf).noneMatch(value::equals);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> throw new IllegalArgumentException("unknown selector operator " + operator);
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A Service's selector: every pair must be among the labels. An empty one selects nothing here (no endpoints are managed). */
    static boolean matchesPlain(Map<String, String> selector, Map<String, String> labels) {
        if (selector.isEmpty()) {
            return false;
        }
        return selector.entrySet().stream().allMatch(e -> String.valueOf(e.getValue()).equals(labels.get(e.getKey())));
    }

    static boolean isEmpty(Map<String, Object> selector) {
        return Obj.map(selector.get("matchLabels")).isEmpty() && Obj.list(selector.get("matchExpressions")).isEmpty();
    }
}
