package dev.clearance.entitlement.service;

import dev.clearance.api.mapping.CallerMapping;
import dev.clearance.api.mapping.DecisionMapping;
import dev.clearance.common.v1.CallerIdentity;
import dev.clearance.entitlement.v1.EntitlementSource;
import dev.clearance.entitlement.v1.ListEntitlementsRequest;
import dev.clearance.entitlement.v1.ListEntitlementsResponse;
import dev.clearance.entitlement.v1.ModelEntitlement;
import dev.clearance.entitlement.validation.CheckRequests;
import dev.clearance.policy.AccessRequest;
import dev.clearance.policy.Evaluator;
import dev.clearance.policy.ModelAccess;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/**
 * ListEntitlements: for one subject, every version with the evaluator's answer and the sources
 * that include it. Resolved and decided exactly as Check (same identity call, same snapshot, same
 * {@link Evaluator}); only the per-version source list is added.
 */
@ApplicationScoped
public class EntitlementListing {

    private final CheckService checks;
    private final PolicyHolder holder;

    public EntitlementListing(CheckService checks, PolicyHolder holder) {
        this.checks = checks;
        this.holder = holder;
    }

    public Uni<ListEntitlementsResponse> list(ListEntitlementsRequest r) {
        CheckRequests.check(r);
        return checks.currentPolicy()
                .chain(() -> checks.resolve(r.getSubject()))
                .map(caller -> list(r, caller));
    }

    private ListEntitlementsResponse list(ListEntitlementsRequest r, CallerIdentity caller) {
        // The newest snapshot, as Check: identity may have taken a moment.
        CurrentPolicy policy = holder.current();
        AccessRequest request = new AccessRequest("", true, Instant.now(),
                r.getRegionCode().isEmpty() ? null : r.getRegionCode(), false);
        ListEntitlementsResponse.Builder out = ListEntitlementsResponse.newBuilder()
                .setCaller(caller)
                .setPolicyRevision(policy.compiled().revision())
                .setIdentityRevision(caller.getIdentityRevision())
                .setCountryGroupsIssueDate(policy.proto().getCountryGroupsIssueDate());
        for (dev.clearance.policy.ModelEntitlement e
                : Evaluator.listEntitlements(policy.compiled(), CallerMapping.toCaller(caller), request)) {
            ModelAccess access = e.access();
            ModelEntitlement.Builder m = ModelEntitlement.newBuilder()
                    .setModel(access.model())
                    .setFamily(access.family())
                    .setAllowed(access.allowed())
                    .setFallbackModel(access.fallbackModel() == null ? "" : access.fallbackModel());
            access.reasons().forEach(reason -> m.addReasons(DecisionMapping.toProto(reason)));
            e.sources().forEach(s -> m.addSources(EntitlementSource.newBuilder().setResource(s.resource())
                    .setHolder(s.holder()).setDescription(s.description())));
            out.addModels(m);
        }
        return out.build();
    }
}
