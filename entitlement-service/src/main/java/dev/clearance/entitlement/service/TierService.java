package dev.clearance.entitlement.service;

import dev.clearance.api.ApiError;
import dev.clearance.entitlement.domain.StoredTier;
import dev.clearance.entitlement.domain.TierEntity;
import dev.clearance.entitlement.mapping.EntitlementMapping;
import dev.clearance.entitlement.mapping.TimeMapping;
import dev.clearance.entitlement.repository.TierRepository;
import dev.clearance.entitlement.v1.CreateTierRequest;
import dev.clearance.entitlement.v1.ListTiersRequest;
import dev.clearance.entitlement.v1.Tier;
import dev.clearance.entitlement.validation.EntitlementRequests;
import dev.clearance.entitlement.validation.PageRequest;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import static dev.clearance.entitlement.EntitlementErrors.alreadyExists;
import static dev.clearance.entitlement.EntitlementErrors.invalid;

/** Commercial tiers and the models they include. */
@ApplicationScoped
public class TierService {

    private final TierRepository tiers;
    private final PolicyWrites writes;

    public TierService(TierRepository tiers, PolicyWrites writes) {
        this.tiers = tiers;
        this.writes = writes;
    }

    public Uni<Tier> create(CreateTierRequest r) {
        EntitlementRequests.check(r);
        String id = r.getTierId();
        return writes.write(revision -> tiers.findById(id).chain(existing -> {
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

    public Uni<Page<Tier>> list(ListTiersRequest r) {
        ApiError errors = invalid();
        PageRequest page = PageRequest.parse(errors, r.getPageSize(), r.getPageToken(), "tiers");
        errors.throwIfViolations();
        return Panache.withSession(() -> tiers.page(page.after(), page.fetchSize()))
                .map(rows -> Page.of(rows, page, "tiers", t -> t.tier().id).map(EntitlementMapping::toProto));
    }
}
