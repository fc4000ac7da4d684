package dev.clearance.identity.keycloak;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Says how the Keycloak sync is doing, in {@code /q/health/ready}, and is always UP: a failing
 * sync must not take the service out of rotation (known persons resolve without Keycloak).
 * {@code status} reads "keycloak sync failing since ..." while it fails.
 */
@Readiness
@ApplicationScoped
public class KeycloakSyncHealth implements HealthCheck {

    @Inject
    KeycloakSync sync;
    @Inject
    KeycloakSyncState state;
    @Inject
    KeycloakSessions sessions;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("keycloak-sync").up();
        if (!sync.configured()) {
            return b.withData("status", "off (no clearance.keycloak.admin.client-secret)").build();
        }
        KeycloakSyncState.View v = state.view();
        if (v.lastSuccess() != null) {
            b.withData("last_success", v.lastSuccess().toString());
        }
        b.withData("pending_logouts", sessions.pendingCount());
        if (v.failingSince() != null) {
            return b.withData("status", "keycloak sync failing since " + v.failingSince() + ": " + v.lastFailure())
                    .withData("failing_since", v.failingSince().toString())
                    .withData("consecutive_failures", v.consecutiveFailures())
                    .build();
        }
        return b.withData("status", v.lastSuccess() == null ? "no sync yet" : "ok").build();
    }
}
