package dev.clearance.entitlement.propagation;

import dev.clearance.entitlement.mapping.TimeMapping;
import dev.clearance.entitlement.service.CurrentPolicy;
import dev.clearance.entitlement.service.PolicyHolder;
import dev.clearance.entitlement.service.PolicyRefresh;
import dev.clearance.entitlement.v1.PolicyHeartbeat;
import dev.clearance.api.ApiError;
import dev.clearance.common.v1.ErrorReason;
import dev.clearance.entitlement.EntitlementErrors;
import dev.clearance.entitlement.metrics.EntitlementMetrics;
import io.grpc.StatusRuntimeException;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/**
 * The heartbeats of one WatchPolicy stream: every interval, "revision R is still the newest",
 * but only while this replica can vouch for that, i.e. it holds a snapshot, its LISTEN is up
 * (it would have heard of a write through another replica) and its last rebuild succeeded. A
 * replica that cannot vouch stays silent, and its routers fail closed after their bound.
 */
@ApplicationScoped
public class PolicyHeartbeats {

    private final PolicyHolder holder;
    private final PolicyNotifications notifications;
    private final PolicyRefresh refresh;
    private final Replica replica;
    private final Duration interval;

    @Inject
    EntitlementMetrics metrics;

    public PolicyHeartbeats(PolicyHolder holder, PolicyNotifications notifications, PolicyRefresh refresh,
                            Replica replica,
                            @ConfigProperty(name = "clearance.policy.heartbeat-interval", defaultValue = "1s")
                            Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("clearance.policy.heartbeat-interval must be positive: " + interval);
        }
        this.holder = holder;
        this.notifications = notifications;
        this.refresh = refresh;
        this.replica = replica;
        this.interval = interval;
    }

    /** Whether a heartbeat sent now would tell the truth. */
    public boolean canVouch() {
        return holder.current() != null && notifications.listening() && !refresh.lastRebuildFailed();
    }

    /**
     * One heartbeat per interval while this replica can vouch. The first tick it cannot, the stream
     * fails with UNAVAILABLE: the router reconnects (to another replica, if it has one) instead of
     * holding a stream that can no longer confirm anything. A stream that merely went quiet would be
     * safe too (the router goes stale), but a router that reconnected here would be handed the held
     * snapshot again and take it as fresh.
     */
    public Multi<PolicyHeartbeat> stream() {
        return Multi.createFrom().ticks().every(interval)
                .onOverflow().drop()
                .map(tick -> {
                    PolicyHeartbeat h = heartbeat();
                    if (h == null) {
                        throw cannotVouch();
                    }
                    if (metrics != null) {
                        metrics.heartbeatSent();
                    }
                    return h;
                });
    }

    /** Why a WatchPolicy stream is refused or ended by a replica that cannot vouch for its snapshot. */
    public StatusRuntimeException cannotVouch() {
        String why = holder.current() == null ? "holds no policy snapshot"
                : !notifications.listening() ? "lost its LISTEN connection to PostgreSQL"
                : "failed to rebuild its snapshot";
        return ApiError.unavailable(ErrorReason.ERROR_REASON_POLICY_UNAVAILABLE, EntitlementErrors.DOMAIN,
                "replica " + replica.id() + " cannot vouch for its policy now (it " + why + "); try another replica")
                .toException();
    }

    /** The heartbeat to send now, or null when this replica cannot vouch. */
    PolicyHeartbeat heartbeat() {
        CurrentPolicy now = holder.current();
        if (now == null || !canVouch()) {
            return null;
        }
        return PolicyHeartbeat.newBuilder()
                .setRevision(now.revision())
                .setSendTime(TimeMapping.toTimestamp(java.time.Instant.now()))
                .setReplica(replica.id())
                .build();
    }

    public Duration interval() {
        return interval;
    }
}
