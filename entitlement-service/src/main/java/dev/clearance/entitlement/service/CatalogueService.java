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
import dev.clearance.entitlement.v1.CreateModelAliasRequest;
import dev.clearance.entitlement.v1.CreateModelFamilyRequest;
import dev.clearance.entitlement.v1.CreateModelVersionRequest;
import dev.clearance.entitlement.v1.ListModelFamiliesRequest;
import dev.clearance.entitlement.v1.ListModelVersionsRequest;
import dev.clearance.entitlement.v1.ModelAlias;
import dev.clearance.entitlement.v1.ModelFamily;
import dev.clearance.entitlement.v1.ModelVersion;
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
    private final PolicyWrites writes;

    public CatalogueService(ModelFamilyRepository families, ModelVersionRepository versions,
                            ModelAliasRepository aliases, PolicyWrites writes) {
        this.families = families;
        this.versions = versions;
        this.aliases = aliases;
        this.writes = writes;
    }

    public Uni<ModelFamily> createFamily(CreateModelFamilyRequest r) {
        CatalogueRequests.check(r);
        String id = r.getFamilyId();
        return writes.write(revision -> families.findById(id).chain(existing -> {
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

    public Uni<ModelVersion> createVersion(CreateModelVersionRequest r) {
        String familyId = CatalogueRequests.check(r);
        String id = r.getVersionId();
        int requestedOrdinal = r.getVersion().getOrdinal();
        return writes.write(revision -> versions.findById(id).chain(existing -> {
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

    public Uni<ModelAlias> createAlias(CreateModelAliasRequest r) {
        CatalogueRequests.check(r);
        String id = r.getAliasId();
        String target = r.getAlias().getTargetVersion();
        return writes.write(revision -> aliases.findById(id).chain(existing -> {
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
}
