package dev.clearance.entitlement.health;

import dev.clearance.entitlement.reference.CountryGroupTables;
import dev.clearance.entitlement.propagation.PolicyNotifications;
import dev.clearance.entitlement.propagation.Replica;
import dev.clearance.entitlement.propagation.RouterPresence;
import dev.clearance.entitlement.service.CurrentPolicy;
import dev.clearance.entitlement.service.PolicyHolder;
import dev.clearance.entitlement.service.PolicyRefresh;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once a policy snapshot is loaded and the LISTEN on the policy channel is up. Without a
 * snapshot Check and WatchPolicy have nothing to serve; without the LISTEN this replica would
 * not hear writes made through other replicas, so it sends no heartbeats and should get no new
 * routers (they would only go stale here).
 */
@Readiness
@ApplicationScoped
public class PolicyReadiness implements HealthCheck {

    private final PolicyHolder holder;
    private final PolicyNotifications notifications;
    private final PolicyRefresh refresh;
    private final RouterPresence presence;
    private final Replica replica;
    private final CountryGroupTables countryGroups;

    public PolicyReadiness(PolicyHolder holder, PolicyNotifications notifications, PolicyRefresh refresh,
                           RouterPresence presence, Replica replica, CountryGroupTables countryGroups) {
        this.countryGroups = countryGroups;
        this.holder = holder;
        this.notifications = notifications;
        this.refresh = refresh;
        this.presence = presence;
        this.replica = replica;
    }

    @Override
    public HealthCheckResponse call() {
        CurrentPolicy policy = holder.current();
        boolean listening = notifications.listening();
        var response = HealthCheckResponse.named("policy-snapshot").status(policy != null && listening)
                .withData("replica", replica.id())
                .withData("watchers", holder.watcherCount())
                .withData("routers", String.join(",", presence.connectedRouters()))
                .withData("listening", listening)
                .withData("last_rebuild_failed", refresh.lastRebuildFailed());
        if (policy != null) {
            response.withData("revision", policy.revision())
                    .withData("country_groups_issue_date", policy.proto().getCountryGroupsIssueDate());
        }
        // Still ready (the table in force is sound), but an operator must load a corrected table.
        CountryGroupTables.HeldBack held = countryGroups.heldBack();
        if (held != null) {
            response.withData("country_groups_held_back", held.describe());
        }
        return response.build();
    }
}
