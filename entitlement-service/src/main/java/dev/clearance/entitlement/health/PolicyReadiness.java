package dev.clearance.entitlement.health;

import dev.clearance.entitlement.service.CurrentPolicy;
import dev.clearance.entitlement.service.PolicyHolder;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once a policy snapshot is loaded: before that, Check and WatchPolicy have nothing to serve. */
@Readiness
@ApplicationScoped
public class PolicyReadiness implements HealthCheck {

    private final PolicyHolder holder;

    public PolicyReadiness(PolicyHolder holder) {
        this.holder = holder;
    }

    @Override
    public HealthCheckResponse call() {
        CurrentPolicy policy = holder.current();
        var response = HealthCheckResponse.named("policy-snapshot").status(policy != null)
                .withData("watchers", holder.watcherCount());
        if (policy != null) {
            response.withData("revision", policy.revision())
                    .withData("country_groups_issue_date", policy.proto().getCountryGroupsIssueDate());
        }
        return response.build();
    }
}
