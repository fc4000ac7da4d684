package dev.clearance.sdk;

import java.util.List;

/** INVALID_ARGUMENT, with one {@link FieldViolation} per problem. */
public class InvalidRequestException extends ClearanceException {

    private final List<FieldViolation> violations;

    InvalidRequestException(Details d) {
        super(d);
        this.violations = List.copyOf(d.violations());
    }

    public List<FieldViolation> violations() {
        return violations;
    }
}
