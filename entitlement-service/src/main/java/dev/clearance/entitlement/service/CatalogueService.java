package dev.clearance.entitlement.service;

import dev.clearance.api.ApiError;
import dev.clearance.entitlement.domain.ModelAliasEntity;
import dev.clearance.entitlement.domain.ModelFamilyEntity;
import dev.clearance.entitlement.domain.ModelVersionEntity;
import dev.clearance.entitlement.mapping.CatalogueMapping;
import dev.clearance.entitlement.mapping.TimeMapping;
import dev.clearance.entitlement.repository.ModelAliasRepository;
import dev.clearance.entitlement.repository.ModelFamilyRepository;
import dev.clearance.entitlement.repository.ModelVersionRepository;
import dev.clearance.entitlement.domain.Attribution;
import dev.clearance.entitlement.repository.References;
import dev.clearance.entitlement.v1.*;
import dev.clearance.entitlement.validation.CatalogueRequests;
import dev.clearance.entitlement.validation.Fields;
import dev.clearance.entitlement.validation.PageRequest;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import static dev.clearance.entitlement.EntitlementErrors.alreadyExists;
import static dev.clearance.entitlement.EntitlementErrors.invalid;
import static dev.clearance.entitlement.EntitlementErrors.notFound;

/** Model families, their ordered versions and aliases. */
@ApplicationScoped
public class CatalogueService {

    private final ModelFamilyRepository families;
    private final ModelVersionRepository versions;
    private final ModelAliasRepository aliases;
    private final References references;
    private final ResourceWrites writes;

    public CatalogueService(ModelFamilyRepository families, ModelVersionRepository versions,
                            ModelAliasRepository aliases, References references, ResourceWrites writes) {
        this.families = families;
        this.versions = versions;
        this.aliases = aliases;
        this.references = references;
        this.writes = writes;
    }

    public Uni<ModelFamily> createFamily(CreateModelFamilyRequest r, String actor) {
        CatalogueRequests.check(r);
        String id = r.getFamilyId();
        return writes.create(new Attribution(actor, r.getReason()), revision -> families.findById(id).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().failure(alreadyExists("families/" + id).toException());
            }
            ModelFamilyEntity f = new ModelFamilyEntity();
            f.id = id;
            f.displayName = r.getFamily().getDisplayName();
            f.controlled = r.getFamily().getControlled();
            f.createTime = TimeMapping.now();
            return families.persist(f).map(CatalogueMapping::toProto);
        }));
    }

    public Uni<Page<ModelFamily>> listFamilies(ListModelFamiliesRequest r) {
        ApiError errors = invalid();
        PageRequest page = PageRequest.parse(errors, r.getPageSize(), r.getPageToken(), "families");
        errors.throwIfViolations();
        return Panache.withSession(() -> families.page(page.after(), page.fetchSize()))
                .map(rows -> Page.of(rows, page, "families", f -> f.id).map(CatalogueMapping::toProto));
    }

    public Uni<ModelVersion> createVersion(CreateModelVersionRequest r, String actor) {
        String familyId = CatalogueRequests.check(r);
        String id = r.getVersionId();
        int requestedOrdinal = r.getVersion().getOrdinal();
        return writes.create(new Attribution(actor, r.getReason()), revision -> versions.findById(id).chain(existing -> {
            if (existing != null) {
                // Version ids are unique across the catalogue, whatever the family.
                return Uni.createFrom().failure(
                        alreadyExists("families/" + existing.familyId + "/versions/" + id).toException());
            }
            ApiError errors = invalid();
            return families.findById(familyId)
                    .invoke(f -> {
                        if (f == null) {
                            errors.violation("parent", r.getParent() + " does not exist");
                        }
                    })
                    .chain(() -> aliases.findById(id))
                    .invoke(a -> {
                        if (a != null) {
                            errors.violation("version_id", id + " is already an alias; names of versions and aliases are one namespace");
                        }
                    })
                    .chain(() -> requestedOrdinal == 0
                            ? versions.maxOrdinal(familyId).map(max -> max + 1)
                            : versions.ordinalTaken(familyId, requestedOrdinal).map(taken -> {
                                if (taken) {
                                    errors.violation("version.ordinal", "ordinal " + requestedOrdinal + " is already used in " + r.getParent());
                                }
                                return requestedOrdinal;
                            }))
                    .chain(ordinal -> {
                        errors.throwIfViolations();
                        ModelVersionEntity v = new ModelVersionEntity();
                        v.id = id;
                        v.familyId = familyId;
                        v.ordinal = ordinal;
                        v.status = CatalogueMapping.status(r.getVersion().getStatus());
                        v.createTime = TimeMapping.now();
                        return versions.persist(v).map(CatalogueMapping::toProto);
                    });
        }));
    }

    public Uni<Page<ModelVersion>> listVersions(ListModelVersionsRequest r) {
        ApiError errors = invalid();
        String familyId = Fields.resourceId(errors, "parent", r.getParent(), "families");
        String query = r.getParent() + "/versions";
        PageRequest page = PageRequest.parse(errors, r.getPageSize(), r.getPageToken(), query);
        int afterOrdinal = 0;
        if (page.after() != null) {
            try {
                afterOrdinal = Integer.parseInt(page.after());
            } catch (NumberFormatException e) {
                errors.violation("page_token", "is not a page token of this list");
            }
        }
        errors.throwIfViolations();
        int after = afterOrdinal;
        return Panache.withSession(() -> families.findById(familyId).chain(f -> {
                    if (f == null) {
                        return Uni.createFrom().failure(notFound(r.getParent()).toException());
                    }
                    return versions.page(familyId, after, page.fetchSize());
                }))
                .map(rows -> Page.of(rows, page, query, v -> Integer.toString(v.ordinal)).map(CatalogueMapping::toProto));
    }

    public Uni<ModelAlias> createAlias(CreateModelAliasRequest r, String actor) {
        CatalogueRequests.check(r);
        String id = r.getAliasId();
        String target = r.getAlias().getTargetVersion();
        return writes.create(new Attribution(actor, r.getReason()), revision -> aliases.findById(id).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().failure(alreadyExists("aliases/" + id).toException());
            }
            ApiError errors = invalid();
            return versions.findById(id)
                    .invoke(v -> {
                        if (v != null) {
                            errors.violation("alias_id", id + " is already a model version; names of versions and aliases are one namespace");
                        }
                    })
                    .chain(() -> versions.findById(target))
                    .chain(v -> {
                        if (v == null) {
                            errors.violation("alias.target_version", "model version " + target + " does not exist");
                        }
                        errors.throwIfViolations();
                        ModelAliasEntity a = new ModelAliasEntity();
                        a.id = id;
                        a.targetVersion = target;
                        a.createTime = TimeMapping.now();
                        return aliases.persist(a).map(CatalogueMapping::toProto);
                    });
        }));
    }

    // Families ------------------------------------------------------------------------------

    public Uni<ModelFamily> getFamily(String name) {
        String id = CatalogueRequests.familyName("name", name);
        return Panache.withSession(() -> families.findById(id)).map(f -> found(name, f, CatalogueMapping::toProto));
    }

    public Uni<ModelFamily> updateFamily(UpdateModelFamilyRequest r, String actor) {
        String id = CatalogueRequests.check(r);
        return writes.update(new Attribution(actor, r.getReason()), r.getFamily().getName(), r.getFamily(),
                r.getUpdateMask(), () -> families.findById(id), CatalogueMapping::toProto, (f, merged) -> {
                    ApiError errors = invalid();
                    Fields.maxLength(errors, "family.display_name", merged.getDisplayName(), 200);
                    errors.throwIfViolations();
                    f.displayName = merged.getDisplayName();
                    f.controlled = merged.getControlled();
                    f.rowVersion++;
                    return Uni.createFrom().item(f);
                });
    }

    public Uni<Void> deleteFamily(DeleteModelFamilyRequest r, String actor) {
        String id = CatalogueRequests.familyName("name", r.getName());
        return writes.delete(new Attribution(actor, r.getReason()), r.getName(), r.getEtag(),
                () -> families.findById(id), CatalogueMapping::toProto,
                f -> references.toFamily(id), f -> families.delete(f));
    }

    // Versions ------------------------------------------------------------------------------

    public Uni<ModelVersion> getVersion(String name) {
        String[] ids = CatalogueRequests.versionName("name", name);
        return Panache.withSession(() -> versionIn(ids)).map(v -> found(name, v, CatalogueMapping::toProto));
    }

    public Uni<ModelVersion> updateVersion(UpdateModelVersionRequest r, String actor) {
        String[] ids = CatalogueRequests.check(r);
        return writes.update(new Attribution(actor, r.getReason()), r.getVersion().getName(), r.getVersion(),
                r.getUpdateMask(), () -> versionIn(ids), CatalogueMapping::toProto, (v, merged) -> {
                    ApiError errors = invalid();
                    CatalogueRequests.checkStatus(errors, merged.getStatus());
                    int ordinal = merged.getOrdinal();
                    if (ordinal <= 0) {
                        errors.violation("version.ordinal", "must be positive");
                    }
                    errors.throwIfViolations();
                    Uni<Boolean> taken = ordinal == v.ordinal ? Uni.createFrom().item(false)
                            : versions.ordinalTaken(v.familyId, ordinal);
                    return taken.map(isTaken -> {
                        if (isTaken) {
                            invalid().violation("version.ordinal", "ordinal " + ordinal + " is already used in families/"
                                    + v.familyId).throwIfViolations();
                        }
                        v.status = CatalogueMapping.status(merged.getStatus());
                        v.ordinal = ordinal;
                        v.rowVersion++;
                        return v;
                    });
                });
    }

    public Uni<Void> deleteVersion(DeleteModelVersionRequest r, String actor) {
        String[] ids = CatalogueRequests.versionName("name", r.getName());
        return writes.delete(new Attribution(actor, r.getReason()), r.getName(), r.getEtag(),
                () -> versionIn(ids), CatalogueMapping::toProto,
                v -> references.toModel(v.id), v -> versions.delete(v));
    }

    /** The version, or null when it does not exist or is in another family. */
    private Uni<ModelVersionEntity> versionIn(String[] familyAndVersion) {
        return versions.findById(familyAndVersion[1])
                .map(v -> v != null && v.familyId.equals(familyAndVersion[0]) ? v : null);
    }

    // Aliases -------------------------------------------------------------------------------

    public Uni<ModelAlias> getAlias(String name) {
        String id = CatalogueRequests.aliasName("name", name);
        return Panache.withSession(() -> aliases.findById(id)).map(a -> found(name, a, CatalogueMapping::toProto));
    }

    public Uni<Page<ModelAlias>> listAliases(ListModelAliasesRequest r) {
        ApiError errors = invalid();
        PageRequest page = PageRequest.parse(errors, r.getPageSize(), r.getPageToken(), "aliases");
        errors.throwIfViolations();
        return Panache.withSession(() -> aliases.page(page.after(), page.fetchSize()))
                .map(rows -> Page.of(rows, page, "aliases", a -> a.id).map(CatalogueMapping::toProto));
    }

    public Uni<ModelAlias> updateAlias(UpdateModelAliasRequest r, String actor) {
        String id = CatalogueRequests.check(r);
        return writes.update(new Attribution(actor, r.getReason()), r.getAlias().getName(), r.getAlias(),
                r.getUpdateMask(), () -> aliases.findById(id), CatalogueMapping::toProto, (a, merged) -> {
                    String target = merged.getTargetVersion();
                    ApiError errors = invalid();
                    if (!Fields.modelId(errors, "alias.target_version", target)) {
                        errors.throwIfViolations();
                    }
                    return versions.findById(target).map(v -> {
                        if (v == null) {
                            invalid().violation("alias.target_version", "model version " + target + " does not exist")
                                    .throwIfViolations();
                        }
                        a.targetVersion = target;
                        a.rowVersion++;
                        return a;
                    });
                });
    }

    public Uni<Void> deleteAlias(DeleteModelAliasRequest r, String actor) {
        String id = CatalogueRequests.aliasName("name", r.getName());
        return writes.delete(new Attribution(actor, r.getReason()), r.getName(), r.getEtag(),
                () -> aliases.findById(id), CatalogueMapping::toProto,
                a -> references.toModel(id), a -> aliases.delete(a));
    }

    static <S, P> P found(String name, S stored, java.util.function.Function<S, P> toProto) {
        if (stored == null) {
            throw notFound(name).toException();
        }
        return toProto.apply(stored);
    }
}
