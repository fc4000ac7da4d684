package dev.clearance.router.policy;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until a policy snapshot is held: without one every request would be refused. */
@Readiness
@ApplicationScoped
public class PolicyReadinessCheck implements HealthCheck {

    @Inject
    CurrentPolicy current;

    @Override
    public HealthCheckResponse call() {
        CurrentPolicy.Held held = current.held();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("policy-snapshot");
        if (held == null) {
            return response.down().withData("reason", "no policy snapshot received from entitlement-service yet")
                    .build();
        }
        return response.up()
                .withData("revision", held.snapshot().revision())
                .withData("applied_at", held.appliedAt().toString())
                .build();
    }
}
