package dev.clearance.router.policy;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;

/**
 * {@code policy}: DOWN only while no snapshot is held (every request would be refused). A
 * stale snapshot keeps it UP on purpose: the router still serves uncontrolled models and
 * refuses controlled ones with POLICY_STALE, which is the right answer, not an outage; taking
 * every router out of rotation when the control plane is down would refuse everything. The data
 * say whether it is stale, since when, where the snapshot came from and whether it could be
 * persisted.
 */
@Readiness
@ApplicationScoped
public class PolicyReadinessCheck implements HealthCheck {

    @Inject
    CurrentPolicy current;

    @Inject
    PolicyFreshness freshness;

    @Inject
    SnapshotFile file;

    @Override
    public HealthCheckResponse call() {
        CurrentPolicy.Held held = current.held();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("policy");
        if (held == null) {
            response.down().withData("reason", "no policy snapshot received from entitlement-service yet");
        } else {
            // Staleness first, then the age: read in this order the age is never below the bound
            // when the check says stale.
            boolean stale = freshness.isStale();
            Duration since = freshness.sinceHeard();
            response.up()
                    .withData("revision", held.snapshot().revision())
                    .withData("applied_at", held.appliedAt().toString())
                    .withData("source", held.source().name())
                    .withData("stale", stale)
                    .withData("last_heard_ms", since == null ? -1 : since.toMillis())
                    .withData("staleness_bound_ms", freshness.bound().toMillis());
        }
        response.withData("snapshot_file", file.path().map(Object::toString).orElse("none"));
        if (file.path().isPresent()) {
            String error = file.lastError();
            // The held snapshot is on disk: written by this process, or read from it at startup.
            boolean onDisk = file.writtenAt() != null || (held != null && held.source() == CurrentPolicy.Source.DISK);
            response.withData("persisted", error == null && onDisk)
                    .withData("persisted_revision", file.writtenRevision());
            if (error != null) {
                response.withData("persist_error", error);
            }
        }
        return response.build();
    }
}
