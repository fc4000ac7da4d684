package dev.clearance.sdk;

import java.util.Optional;

/**
 * PERMISSION_DENIED: the decision refused the call (reason {@code ACCESS_DENIED}), or a stream in flight was
 * cut because a policy change now refuses its model. The decision's details come from the error metadata.
 */
public class AccessDeniedException extends ClearanceException {

    AccessDeniedException(Details d) {
        super(d);
    }

    /** The primary reason code of the refusing decision, such as {@link ReasonCode#DIRECTIVE}. */
    public ReasonCode reasonCode() {
        return ReasonCode.parse(metadata().get("reason_code"));
    }

    /** The directive that refused ({@code directives/{id}}), if a directive did. */
    public Optional<String> directive() {
        return value("directive");
    }

    /** The directive's legal citation, if a directive refused. */
    public Optional<String> citation() {
        return value("citation");
    }

    /** The id of the refusing decision. */
    public Optional<String> decisionId() {
        return value("decision_id");
    }

    /** The refused model version. */
    public Optional<String> model() {
        return value("model");
    }

    private Optional<String> value(String key) {
        String v = metadata().get(key);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }
}
