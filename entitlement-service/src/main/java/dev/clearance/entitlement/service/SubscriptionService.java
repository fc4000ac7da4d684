package dev.clearance.entitlement.service;

import dev.clearance.api.ApiError;
import dev.clearance.entitlement.domain.Attribution;
import dev.clearance.entitlement.domain.SubscriptionEntity;
import dev.clearance.entitlement.mapping.EntitlementMapping;
import dev.clearance.entitlement.mapping.TimeMapping;
import dev.clearance.entitlement.repository.SubscriptionRepository;
import dev.clearance.entitlement.repository.TierRepository;
import dev.clearance.entitlement.v1.CreateSubscriptionRequest;
import dev.clearance.entitlement.v1.DeleteSubscriptionRequest;
import dev.clearance.entitlement.v1.ListSubscriptionsRequest;
import dev.clearance.entitlement.v1.Subscription;
import dev.clearance.entitlement.v1.UpdateSubscriptionRequest;
import dev.clearance.entitlement.validation.EntitlementRequests;
import dev.clearance.entitlement.validation.PageRequest;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

import static dev.clearance.entitlement.EntitlementErrors.alreadyExists;
import static dev.clearance.entitlement.EntitlementErrors.invalid;
import static dev.clearance.entitlement.service.CatalogueService.found;

/** Organisation subscriptions to tiers (one per organisation). */
@ApplicationScoped
public class SubscriptionService {

    private final SubscriptionRepository subscriptions;
    private final TierRepository tiers;
    private final ResourceWrites writes;

    public SubscriptionService(SubscriptionRepository subscriptions, TierRepository tiers, ResourceWrites writes) {
        this.subscriptions = subscriptions;
        this.tiers = tiers;
        this.writes = writes;
    }

    public Uni<Subscription> create(CreateSubscriptionRequest r, String actor) {
        String tierId = EntitlementRequests.check(r);
        String organisation = r.getSubscription().getOrganisation();
        return writes.create(new Attribution(actor, r.getReason()), revision -> subscriptions.findByOrganisation(organisation).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().failure(alreadyExists("subscriptions/" + existing.id)
                        .put("organisation", organisation).toException());
            }
            return tiers.findById(tierId).chain(tier -> {
                if (tier == null) {
                    return Uni.createFrom().failure(invalid()
                            .violation("subscription.tier", r.getSubscription().getTier() + " does not exist").toException());
                }
                SubscriptionEntity s = new SubscriptionEntity();
                s.id = UUID.randomUUID().toString();
                s.organisation = organisation;
                s.tierId = tierId;
                s.createTime = TimeMapping.now();
                return subscriptions.persist(s).map(EntitlementMapping::toProto);
            });
        }));
    }

    public Uni<Subscription> get(String name) {
        String id = EntitlementRequests.name("name", name, "subscriptions");
        return Panache.withSession(() -> subscriptions.findById(id)).map(s -> found(name, s, EntitlementMapping::toProto));
    }

    public Uni<Page<Subscription>> list(ListSubscriptionsRequest r) {
        ApiError errors = invalid();
        PageRequest page = PageRequest.parse(errors, r.getPageSize(), r.getPageToken(), "subscriptions");
        errors.throwIfViolations();
        return Panache.withSession(() -> subscriptions.page(page.after(), page.fetchSize()))
                .map(rows -> Page.of(rows, page, "subscriptions", s -> s.id).map(EntitlementMapping::toProto));
    }

    /** Moves the organisation to another tier (the organisation itself does not change). */
    public Uni<Subscription> update(UpdateSubscriptionRequest r, String actor) {
        String id = EntitlementRequests.update("subscription.name", r.getSubscription().getName(), "subscriptions",
                r.getUpdateMask(), EntitlementRequests.SUBSCRIPTION_FIELDS);
        return writes.update(new Attribution(actor, r.getReason()), r.getSubscription().getName(), r.getSubscription(),
                r.getUpdateMask(), () -> subscriptions.findById(id), EntitlementMapping::toProto, (s, merged) -> {
                    String tierId = EntitlementRequests.check(CreateSubscriptionRequest.newBuilder().setSubscription(merged).build());
                    return tiers.findById(tierId).map(tier -> {
                        if (tier == null) {
                            invalid().violation("subscription.tier", merged.getTier() + " does not exist").throwIfViolations();
                        }
                        s.tierId = tierId;
                        s.rowVersion++;
                        return s;
                    });
                });
    }

    public Uni<Void> delete(DeleteSubscriptionRequest r, String actor) {
        String id = EntitlementRequests.name("name", r.getName(), "subscriptions");
        return writes.delete(new Attribution(actor, r.getReason()), r.getName(), r.getEtag(), () -> subscriptions.findById(id),
                EntitlementMapping::toProto, s -> Uni.createFrom().item(List.of()), s -> subscriptions.delete(s));
    }
}
