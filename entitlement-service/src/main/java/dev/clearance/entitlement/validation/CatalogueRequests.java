package dev.clearance.entitlement.validation;

import dev.clearance.api.ApiError;
import dev.clearance.entitlement.v1.CreateModelAliasRequest;
import dev.clearance.entitlement.v1.CreateModelFamilyRequest;
import dev.clearance.entitlement.v1.CreateModelVersionRequest;
import dev.clearance.entitlement.v1.ModelVersionStatus;

import static dev.clearance.entitlement.EntitlementErrors.invalid;

/** Checks catalogue requests that need no stored data; throws INVALID_ARGUMENT listing every problem. */
public final class CatalogueRequests {
    private CatalogueRequests() {
    }

    public static void check(CreateModelFamilyRequest r) {
        ApiError errors = invalid();
        Fields.id(errors, "family_id", r.getFamilyId());
        Fields.maxLength(errors, "family.display_name", r.getFamily().getDisplayName(), 200);
        errors.throwIfViolations();
    }

    /** @return the family id of the parent */
    public static String check(CreateModelVersionRequest r) {
        ApiError errors = invalid();
        String family = Fields.resourceId(errors, "parent", r.getParent(), "families");
        Fields.modelId(errors, "version_id", r.getVersionId());
        ModelVersionStatus status = r.getVersion().getStatus();
        if (status == ModelVersionStatus.MODEL_VERSION_STATUS_UNSPECIFIED) {
            errors.violation("version.status", "is required (PREVIEW, GA, DEPRECATED or DISABLED)");
        } else if (status == ModelVersionStatus.UNRECOGNIZED) {
            errors.violation("version.status", "is not a known status");
        }
        if (r.getVersion().getOrdinal() < 0) {
            errors.violation("version.ordinal", "must be positive, or 0 to append as the newest version");
        }
        errors.throwIfViolations();
        return family;
    }

    public static void check(CreateModelAliasRequest r) {
        ApiError errors = invalid();
        Fields.modelId(errors, "alias_id", r.getAliasId());
        Fields.modelId(errors, "alias.target_version", r.getAlias().getTargetVersion());
        errors.throwIfViolations();
    }
}
