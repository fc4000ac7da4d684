package dev.clearance.entitlement.validation;

import dev.clearance.api.ApiError;
import dev.clearance.entitlement.v1.CheckRequest;
import dev.clearance.entitlement.v1.ListEntitlementsRequest;

import java.util.List;

import static dev.clearance.entitlement.EntitlementErrors.invalid;

/** Checks the shape of a Check request; the model name itself is normalised by the engine. */
public final class CheckRequests {
    static final List<String> SUBJECTS = List.of("persons", "apiKeys");

    private CheckRequests() {
    }

    public static void check(CheckRequest r) {
        ApiError errors = invalid();
        if (Fields.required(errors, "subject", r.getSubject())) {
            Fields.oneOfResources(errors, "subject", r.getSubject(), SUBJECTS);
        }
        if (r.getModel().isEmpty()) {
            errors.violation("model", "is required");
        }
        if (!r.getRegionCode().isEmpty() && !Fields.REGION.matcher(r.getRegionCode()).matches()) {
            errors.violation("region_code", "must be an upper-case ISO 3166-1 alpha-2 or ISO 3166-2 code");
        }
        errors.throwIfViolations();
    }

    /** ListEntitlements takes its caller as Check does. */
    public static void check(ListEntitlementsRequest r) {
        ApiError errors = invalid();
        if (Fields.required(errors, "subject", r.getSubject())) {
            Fields.oneOfResources(errors, "subject", r.getSubject(), SUBJECTS);
        }
        if (!r.getRegionCode().isEmpty() && !Fields.REGION.matcher(r.getRegionCode()).matches()) {
            errors.violation("region_code", "must be an upper-case ISO 3166-1 alpha-2 or ISO 3166-2 code");
        }
        errors.throwIfViolations();
    }
}
