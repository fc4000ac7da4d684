package dev.clearance.entitlement.validation;

import dev.clearance.api.ApiError;
import dev.clearance.entitlement.v1.CreateModelAliasRequest;
import dev.clearance.entitlement.v1.CreateModelFamilyRequest;
import dev.clearance.entitlement.v1.CreateModelVersionRequest;
import dev.clearance.entitlement.v1.ModelVersionStatus;
import dev.clearance.entitlement.v1.UpdateModelAliasRequest;
import dev.clearance.entitlement.v1.UpdateModelFamilyRequest;
import dev.clearance.entitlement.v1.UpdateModelVersionRequest;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static dev.clearance.entitlement.EntitlementErrors.invalid;

/** Checks catalogue requests that need no stored data; throws INVALID_ARGUMENT listing every problem. */
public final class CatalogueRequests {

    static final Set<String> FAMILY_FIELDS = new LinkedHashSet<>(List.of("display_name", "controlled"));
    static final Set<String> VERSION_FIELDS = new LinkedHashSet<>(List.of("status", "ordinal"));
    static final Set<String> ALIAS_FIELDS = Set.of("target_version");
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
        checkStatus(errors, r.getVersion().getStatus());
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

    public static void checkStatus(ApiError errors, ModelVersionStatus status) {
        if (status == ModelVersionStatus.MODEL_VERSION_STATUS_UNSPECIFIED) {
            errors.violation("version.status", "is required (PREVIEW, GA, DEPRECATED or DISABLED)");
        } else if (status == ModelVersionStatus.UNRECOGNIZED) {
            errors.violation("version.status", "is not a known status");
        }
    }

    /** @return the family id of {@code families/{family}} */
    public static String familyName(String field, String name) {
        ApiError errors = invalid();
        String id = Fields.resourceId(errors, field, name, "families");
        errors.throwIfViolations();
        return id;
    }

    /** @return {family id, version id} of {@code families/{family}/versions/{version}} */
    public static String[] versionName(String field, String name) {
        ApiError errors = invalid();
        String[] ids = versionName(errors, field, name);
        errors.throwIfViolations();
        return ids;
    }

    private static String[] versionName(ApiError errors, String field, String name) {
        String[] parts = name.split("/", -1);
        if (parts.length != 4 || !parts[0].equals("families") || !parts[2].equals("versions")
                || !Fields.ID.matcher(parts[1]).matches() || !Fields.MODEL_ID.matcher(parts[3]).matches()) {
            errors.violation(field, "must be a resource name families/{family}/versions/{version} with valid ids");
            return null;
        }
        return new String[]{parts[1], parts[3]};
    }

    /** @return the alias id of {@code aliases/{alias}} */
    public static String aliasName(String field, String name) {
        ApiError errors = invalid();
        String id = Fields.modelResourceId(errors, field, name, "aliases");
        errors.throwIfViolations();
        return id;
    }

    /** @return the family id */
    public static String check(UpdateModelFamilyRequest r) {
        ApiError errors = invalid();
        String id = Fields.resourceId(errors, "family.name", r.getFamily().getName(), "families");
        Fields.updateMask(errors, r.getUpdateMask(), FAMILY_FIELDS);
        errors.throwIfViolations();
        return id;
    }

    /** @return {family id, version id} */
    public static String[] check(UpdateModelVersionRequest r) {
        ApiError errors = invalid();
        String[] ids = versionName(errors, "version.name", r.getVersion().getName());
        Fields.updateMask(errors, r.getUpdateMask(), VERSION_FIELDS);
        errors.throwIfViolations();
        return ids;
    }

    /** @return the alias id */
    public static String check(UpdateModelAliasRequest r) {
        ApiError errors = invalid();
        String id = Fields.modelResourceId(errors, "alias.name", r.getAlias().getName(), "aliases");
        Fields.updateMask(errors, r.getUpdateMask(), ALIAS_FIELDS);
        errors.throwIfViolations();
        return id;
    }
}
