package dev.clearance.entitlement.propagation;

import dev.clearance.api.ApiError;
import dev.clearance.common.v1.ErrorReason;
import dev.clearance.entitlement.mapping.TimeMapping;
import dev.clearance.entitlement.service.CurrentPolicy;
import dev.clearance.entitlement.service.PolicyHolder;
import dev.clearance.entitlement.v1.AcknowledgePolicyRequest;
import dev.clearance.entitlement.v1.PropagationStatus;
import dev.clearance.entitlement.v1.RouterPropagation;
import dev.clearance.entitlement.validation.PropagationRequests;
import dev.clearance.entitlement.metrics.EntitlementMetrics;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;

import static dev.clearance.entitlement.EntitlementErrors.DOMAIN;

/**
 * Routers acknowledge the revision they decide with; any replica reports, per router, whether
 * a revision is applied and since when; a write may wait until every live router applied it.
 */
@ApplicationScoped
public class PropagationService {

    private static final Logger LOG = Logger.getLogger(PropagationService.class);

    private final PropagationRepository repository;
    private final PolicyHolder holder;
    private final Replica replica;
    private final Duration liveWindow;
    private final Duration pollInterval;
    private final Duration maxWait;

    @Inject
    EntitlementMetrics metrics;

    public PropagationService(PropagationRepository repository, PolicyHolder holder, Replica replica,
                              @ConfigProperty(name = "clearance.propagation.live-window", defaultValue = "15s")
                              Duration liveWindow,
                              @ConfigProperty(name = "clearance.propagation.poll-interval", defaultValue = "20ms")
                              Duration pollInterval,
                              @ConfigProperty(name = "clearance.propagation.max-wait", defaultValue = "60s")
                              Duration maxWait) {
        this.repository = repository;
        this.holder = holder;
        this.replica = replica;
        this.liveWindow = liveWindow;
        this.pollInterval = pollInterval;
        this.maxWait = maxWait;
    }

    public Uni<Void> acknowledge(AcknowledgePolicyRequest r) {
        PropagationRequests.check(r);
        Instant applied = r.hasApplyTime() ? TimeMapping.toInstant(r.getApplyTime()) : TimeMapping.now();
        LOG.debugf("router %s applied revision %d at %s", r.getRouterId(), r.getRevision(), applied);
        return repository.acknowledge(r.getRouterId(), r.getRevision(), applied, replica.id())
                .invoke(() -> {
                    if (metrics != null) {
                        metrics.acknowledged(holder.current(), r.getRouterId(), r.getRevision(), applied);
                    }
                });
    }

    /** The status of {@code revision}, or of the current one when 0. */
    public Uni<PropagationStatus> status(long revision) {
        long target = revision > 0 ? revision : currentRevision();
        return repository.status(target, liveWindow).map(rows -> toProto(target, rows));
    }

    /**
     * Polls the status of {@code revision} until every live router applied it or {@code timeout}
     * passes, then answers the last status read. Never blocks a thread: each poll is a delayed
     * reactive query. Acknowledgements reach whichever replica the router watches, so this reads
     * them from the database rather than waiting for in-process signals.
     */
    public Uni<PropagationStatus> await(long revision, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        return poll(revision, deadline);
    }

    public Duration maxWait() {
        return maxWait;
    }

    private Uni<PropagationStatus> poll(long revision, long deadline) {
        return status(revision).chain(status -> {
            long left = deadline - System.nanoTime();
            if (status.getComplete() || left <= 0) {
                return Uni.createFrom().item(status);
            }
            Duration delay = Duration.ofNanos(Math.min(left, pollInterval.toNanos()));
            return Uni.createFrom().voidItem().onItem().delayIt().by(delay).chain(() -> poll(revision, deadline));
        });
    }

    private long currentRevision() {
        CurrentPolicy now = holder.current();
        if (now == null) {
            throw ApiError.unavailable(ErrorReason.ERROR_REASON_POLICY_UNAVAILABLE, DOMAIN,
                    "no policy snapshot is loaded yet; name a revision").toException();
        }
        return now.revision();
    }

    static PropagationStatus toProto(long revision, PropagationRepository.StatusRows rows) {
        PropagationStatus.Builder status = PropagationStatus.newBuilder()
                .setRevision(revision)
                .setStatusTime(TimeMapping.toTimestamp(rows.statusTime()));
        boolean complete = true;
        for (PropagationRepository.RouterRow row : rows.routers()) {
            boolean applied = row.appliedRevision() != null;
            RouterPropagation.Builder router = RouterPropagation.newBuilder()
                    .setRouterId(row.routerId())
                    .setApplied(applied)
                    .setLatestRevision(row.latestRevision() == null ? 0 : row.latestRevision())
                    .setReplica(row.replica())
                    .setLive(row.live());
            if (row.lastSeen() != null) {
                router.setLastSeenTime(TimeMapping.toTimestamp(row.lastSeen()));
            }
            if (applied && row.applyTime() != null) {
                router.setApplyTime(TimeMapping.toTimestamp(row.applyTime()));
            }
            if (row.live() && !applied) {
                complete = false;
            }
            status.addRouters(router);
        }
        return status.setComplete(complete).build();
    }
}
