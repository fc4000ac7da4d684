package dev.clearance.identity.grpc;

import dev.clearance.identity.v1.ApiKey;
import dev.clearance.identity.v1.CreateApiKeyRequest;
import dev.clearance.identity.v1.IdentityServiceGrpc.IdentityServiceBlockingStub;
import dev.clearance.identity.v1.IdentityServiceGrpc;
import dev.clearance.identity.v1.ImmigrationStatus;
import dev.clearance.identity.v1.Person;
import dev.clearance.identity.v1.RecordVerificationResponse;
import dev.clearance.identity.v1.RevokeApiKeyRequest;
import dev.clearance.identity.v1.RevokeVerificationRequest;
import dev.clearance.identity.v1.RevokeVerificationResponse;
import dev.clearance.identity.v1.WatchIdentityChangesRequest;
import dev.clearance.identity.v1.WatchIdentityChangesResponse;
import dev.clearance.testing.PostgresTestResource;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static dev.clearance.identity.support.Fixtures.as;
import static dev.clearance.identity.support.Fixtures.birth;
import static dev.clearance.identity.support.Fixtures.evidence;
import static dev.clearance.identity.support.Fixtures.person;
import static dev.clearance.identity.support.Fixtures.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** WatchIdentityChanges: committed evidence and key changes reach a watcher with the new revision. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class IdentityChangesTest {

    @GrpcClient("identity")
    IdentityServiceBlockingStub identity;

    @GrpcClient("identity")
    Channel channel;

    @Test
    void evidenceAndKeyChangesAreStreamedAfterCommit() throws Exception {
        BlockingQueue<WatchIdentityChangesResponse> events = new LinkedBlockingQueue<>();
        IdentityServiceGrpc.IdentityServiceStub async = IdentityServiceGrpc.newStub(channel);
        Context.CancellableContext watch = Context.current().withCancellation();
        try {
            watch.run(() -> async.watchIdentityChanges(WatchIdentityChangesRequest.getDefaultInstance(),
                    new StreamObserver<>() {
                        @Override
                        public void onNext(WatchIdentityChangesResponse value) {
                            events.add(value);
                        }

                        @Override
                        public void onError(Throwable t) {
                        }

                        @Override
                        public void onCompleted() {
                        }
                    }));
            Person p = person(identity, null, null);

            // The stream is hot: record until the subscription is in place and an event arrives.
            RecordVerificationResponse recorded = null;
            WatchIdentityChangesResponse first = null;
            for (int attempt = 0; attempt < 50 && first == null; attempt++) {
                recorded = record(identity, p, evidence(ImmigrationStatus.IMMIGRATION_STATUS_NONE, birth("US")));
                first = await(events, e -> e.getPerson().equals(p.getName()), 1);
            }
            assertNotNull(first, "no event for the recorded verification");
            assertTrue(first.getIdentityRevision() >= 2);
            assertTrue(first.hasChangeTime());

            RevokeVerificationResponse revoked = as(identity, "officer@example.test").revokeVerification(
                    RevokeVerificationRequest.newBuilder().setName(recorded.getVerification().getName())
                            .setReason("document reported stolen").build());
            long revision = revoked.getPerson().getIdentityRevision();
            WatchIdentityChangesResponse afterRevoke = await(events,
                    e -> e.getPerson().equals(p.getName()) && e.getIdentityRevision() == revision, 30);
            assertNotNull(afterRevoke, "no event with revision " + revision);

            ApiKey key = identity.createApiKey(CreateApiKeyRequest.newBuilder()
                    .setApiKey(ApiKey.newBuilder().setOwner(p.getName()).setDisplayName("ci")).build()).getApiKey();
            identity.revokeApiKey(RevokeApiKeyRequest.newBuilder().setName(key.getName()).build());
            WatchIdentityChangesResponse keyEvent = await(events, e -> e.getApiKey().equals(key.getName()), 30);
            assertNotNull(keyEvent, "no event for the revoked key");
            assertEquals("", keyEvent.getPerson());
        } finally {
            watch.cancel(null);
        }
    }

    private static WatchIdentityChangesResponse await(BlockingQueue<WatchIdentityChangesResponse> events,
                                                      Predicate<WatchIdentityChangesResponse> wanted, int seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            WatchIdentityChangesResponse e = events.poll(100, TimeUnit.MILLISECONDS);
            if (e != null && wanted.test(e)) {
                return e;
            }
        }
        return null;
    }
}
