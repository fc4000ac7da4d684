package dev.clearance.entitlement.service;

import dev.clearance.api.ApiError;
import dev.clearance.entitlement.domain.Attribution;
import dev.clearance.entitlement.domain.StoredTier;
import dev.clearance.entitlement.domain.TierEntity;
import dev.clearance.entitlement.mapping.EntitlementMapping;
import dev.clearance.entitlement.mapping.TimeMapping;
import dev.clearance.entitlement.repository.References;
import dev.clearance.entitlement.repository.TierRepository;
import dev.clearance.entitlement.v1.CreateTierRequest;
import dev.clearance.entitlement.v1.DeleteTierRequest;
import dev.clearance.entitlement.v1.ListTiersRequest;
import dev.clearance.entitlement.v1.Tier;
import dev.clearance.entitlement.v1.UpdateTierRequest;
import dev.clearance.entitlement.validation.EntitlementRequests;
import dev.clearance.entitlement.validation.PageRequest;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import static dev.clearance.entitlement.EntitlementErrors.alreadyExists;
import static dev.clearance.entitlement.EntitlementErrors.invalid;
import static dev.clearance.entitlement.service.CatalogueService.found;

/** Commercial tiers and the models they include. */
@ApplicationScoped
public class TierService {

    private final TierRepository tiers;
    private final References references;
    private final ResourceWrites writes;

    public TierService(TierRepository tiers, References references, ResourceWrites writes) {
        this.tiers = tiers;
        this.references = references;
        this.writes = writes;
    }

    public Uni<Tier> create(CreateTierRequest r, String actor) {
        EntitlementRequests.check(r);
        String id = r.getTierId();
        return writes.create(new Attribution(actor, r.getReason()), revision -> tiers.findById(id).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().failure(alreadyExists("tiers/" + id).toException());
            }
            TierEntity t = new TierEntity();
            t.id = id;
            t.displayName = r.getTier().getDisplayName();
            t.createTime = TimeMapping.now();
            return tiers.create(t, r.getTier().getModelPatternsList())
                    .map(x -> EntitlementMapping.toProto(new StoredTier(t, r.getTier().getModelPatternsList())));
        }));
    }

    public Uni<Tier> get(String name) {
        String id = EntitlementRequests.name("name", name, "tiers");
        return Panache.withSession(() -> tiers.findStored(id)).map(t -> found(name, t, EntitlementMapping::toProto));
    }

    public Uni<Page<Tier>> list(ListTiersRequest r) {
        ApiError errors = invalid();
        PageRequest page = PageRequest.parse(errors, r.getPageSize(), r.getPageToken(), "tiers");
        errors.throwIfViolations();
        return Panache.withSession(() -> tiers.page(page.after(), page.fetchSize()))
                .map(rows -> Page.of(rows, page, "tiers", t -> t.tier().id).map(EntitlementMapping::toProto));
    }

    public Uni<Tier> update(UpdateTierRequest r, String actor) {
        String id = EntitlementRequests.update("tier.name", r.getTier().getName(), "tiers", r.getUpdateMask(),
                EntitlementRequests.TIER_FIELDS);
        return writes.update(new Attribution(actor, r.getReason()), r.getTier().getName(), r.getTier(), r.getUpdateMask(),
                () -> tiers.findStored(id), EntitlementMapping::toProto, (stored, merged) -> {
                    EntitlementRequests.check(CreateTierRequest.newBuilder().setTierId(id).setTier(merged).build());
                    TierEntity t = stored.tier();
                    t.displayName = merged.getDisplayName();
                    t.rowVersion++;
                    return tiers.replacePatterns(id, merged.getModelPatternsList())
                            .map(x -> new StoredTier(t, merged.getModelPatternsList()));
                });
    }

    public Uni<Void> delete(DeleteTierRequest r, String actor) {
        String id = EntitlementRequests.name("name", r.getName(), "tiers");
        return writes.delete(new Attribution(actor, r.getReason()), r.getName(), r.getEtag(), () -> tiers.findStored(id),
                EntitlementMapping::toProto, t -> references.toTier(id), t -> tiers.deleteStored(t.tier()));
    }
}
