package dev.clearance.identity.changes;

import com.google.protobuf.util.Timestamps;
import dev.clearance.identity.v1.WatchIdentityChangesResponse;
import dev.clearance.identity.validation.ResourceIds;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;

/**
 * The hot stream behind {@code WatchIdentityChanges}. Events are published only after the
 * change has committed (callers publish when the transactional use case's {@code Uni} has
 * completed), so a router that re-resolves on an event sees the new state. Nobody listening:
 * events are dropped. A subscriber that cancels (the client closed its stream) is removed by
 * the processor. Each subscriber also gets a heartbeat at once and then every
 * {@code heartbeat-interval}, so a router knows when its stream is established and can tell a quiet
 * stream from a dead connection.
 */
@ApplicationScoped
public class IdentityChanges {

    private final BroadcastProcessor<WatchIdentityChangesResponse> processor = BroadcastProcessor.create();

    @ConfigProperty(name = "clearance.identity.changes.heartbeat-interval", defaultValue = "5s")
    Duration heartbeatInterval;

    public Multi<WatchIdentityChangesResponse> stream() {
        // Each subscriber gets its own buffer so a slow router cannot stall the publisher.
        Multi<WatchIdentityChangesResponse> changes = processor.onOverflow().buffer(10_000);
        // The first heartbeat goes out at once, after the subscription to the changes above (merge
        // subscribes in order): a router treats its first message as "established" and only then drops
        // its cache and trusts the stream, so it must not wait a whole interval for it.
        Multi<WatchIdentityChangesResponse> heartbeats = Multi.createFrom().ticks()
                .startingAfter(Duration.ofMillis(1)).every(heartbeatInterval)
                .onOverflow().drop()
                .map(tick -> WatchIdentityChangesResponse.newBuilder().setHeartbeat(true)
                        .setChangeTime(Timestamps.fromMillis(System.currentTimeMillis())).build());
        return Multi.createBy().merging().streams(changes, heartbeats);
    }

    /** {@code identityRevision} 0: not known where the change was observed (the router only evicts). */
    public void person(String personId, long identityRevision, Instant time) {
        publish(WatchIdentityChangesResponse.newBuilder()
                .setPerson(ResourceIds.name(ResourceIds.PERSONS, personId))
                .setIdentityRevision(identityRevision), time);
    }

    public void organisation(String organisationId, Instant time) {
        publish(WatchIdentityChangesResponse.newBuilder()
                .setOrganisation(ResourceIds.name(ResourceIds.ORGANISATIONS, organisationId)), time);
    }

    public void apiKey(String apiKeyId, Instant time) {
        publish(WatchIdentityChangesResponse.newBuilder()
                .setApiKey(ResourceIds.name(ResourceIds.API_KEYS, apiKeyId)), time);
    }

    private synchronized void publish(WatchIdentityChangesResponse.Builder event, Instant time) {
        event.setChangeTime(Timestamps.fromMillis((time == null ? Instant.now() : time).toEpochMilli()));
        processor.onNext(event.build());
    }
}
