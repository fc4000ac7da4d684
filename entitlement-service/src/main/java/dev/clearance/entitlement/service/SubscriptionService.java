package dev.clearance.entitlement.service;

import dev.clearance.entitlement.domain.SubscriptionEntity;
import dev.clearance.entitlement.mapping.EntitlementMapping;
import dev.clearance.entitlement.mapping.TimeMapping;
import dev.clearance.entitlement.repository.SubscriptionRepository;
import dev.clearance.entitlement.repository.TierRepository;
import dev.clearance.entitlement.v1.CreateSubscriptionRequest;
import dev.clearance.entitlement.v1.Subscription;
import dev.clearance.entitlement.validation.EntitlementRequests;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

import static dev.clearance.entitlement.EntitlementErrors.alreadyExists;
import static dev.clearance.entitlement.EntitlementErrors.invalid;

/** Organisation subscriptions to tiers (one per organisation). */
@ApplicationScoped
public class SubscriptionService {

    private final SubscriptionRepository subscriptions;
    private final TierRepository tiers;
    private final PolicyWrites writes;

    public SubscriptionService(SubscriptionRepository subscriptions, TierRepository tiers, PolicyWrites writes) {
        this.subscriptions = subscriptions;
        this.tiers = tiers;
        this.writes = writes;
    }

    public Uni<Subscription> create(CreateSubscriptionRequest r) {
        String tierId = EntitlementRequests.check(r);
        String organisation = r.getSubscription().getOrganisation();
        return writes.write(revision -> subscriptions.findByOrganisation(organisation).chain(existing -> {
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
}
