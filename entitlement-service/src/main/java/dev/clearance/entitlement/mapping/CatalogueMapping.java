package dev.clearance.entitlement.mapping;

import dev.clearance.entitlement.domain.ModelAliasEntity;
import dev.clearance.entitlement.domain.ModelFamilyEntity;
import dev.clearance.entitlement.domain.ModelVersionEntity;
import dev.clearance.entitlement.domain.VersionStatus;
import dev.clearance.entitlement.service.Etags;
import dev.clearance.entitlement.v1.ModelAlias;
import dev.clearance.entitlement.v1.ModelFamily;
import dev.clearance.entitlement.v1.ModelVersion;
import dev.clearance.entitlement.v1.ModelVersionStatus;

/** Catalogue records to and from the wire. */
public final class CatalogueMapping {
    private CatalogueMapping() {
    }

    public static ModelFamily toProto(ModelFamilyEntity f) {
        return ModelFamily.newBuilder()
                .setName("families/" + f.id)
                .setDisplayName(f.displayName)
                .setControlled(f.controlled)
                .setEtag(Etags.of(f.rowVersion))
                .build();
    }

    public static ModelVersion toProto(ModelVersionEntity v) {
        return ModelVersion.newBuilder()
                .setName("families/" + v.familyId + "/versions/" + v.id)
                .setStatus(ModelVersionStatus.valueOf("MODEL_VERSION_STATUS_" + v.status.name()))
                .setOrdinal(v.ordinal)
                .setEtag(Etags.of(v.rowVersion))
                .build();
    }

    public static ModelAlias toProto(ModelAliasEntity a) {
        return ModelAlias.newBuilder().setName("aliases/" + a.id).setTargetVersion(a.targetVersion)
                .setEtag(Etags.of(a.rowVersion)).build();
    }

    /** For a validated status (neither UNSPECIFIED nor UNRECOGNIZED). */
    public static VersionStatus status(ModelVersionStatus s) {
        return VersionStatus.valueOf(s.name().substring("MODEL_VERSION_STATUS_".length()));
    }
}
