package dev.clearance.identity.grpc;

import java.util.List;
import dev.clearance.identity.v1.ListChangesRequest;
import dev.clearance.common.v1.Change;
import dev.clearance.identity.service.BackgroundContext;
import dev.clearance.identity.service.ExpirySweep;
import dev.clearance.identity.support.TestClock;
import dev.clearance.identity.v1.ApiKey;
import dev.clearance.identity.v1.CreateApiKeyRequest;
import dev.clearance.identity.v1.GetPersonRequest;
import dev.clearance.identity.v1.IdentityServiceGrpc;
import dev.clearance.identity.v1.IdentityServiceGrpc.IdentityServiceBlockingStub;
import dev.clearance.identity.v1.ImmigrationStatus;
import dev.clearance.identity.v1.Person;
import dev.clearance.identity.v1.SyncKeycloakRequest;
import dev.clearance.identity.v1.WatchIdentityChangesRequest;
import dev.clearance.identity.v1.WatchIdentityChangesResponse;
import dev.clearance.common.v1.UsPersonStatus;
import dev.clearance.testing.PostgresTestResource;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static dev.clearance.identity.support.Fixtures.birth;
import static dev.clearance.identity.support.Fixtures.evidence;
import static dev.clearance.identity.support.Fixtures.person;
import static dev.clearance.identity.support.Fixtures.record;
import static dev.clearance.identity.support.Fixtures.ts;
import static dev.clearance.identity.support.Grpc.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The change stream beyond explicit writes: heartbeats on a quiet stream, and expiry (evidence,
 * API keys) announced by the sweep. The periodic sweep is off in tests; the test runs one.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class ExpiryAndHeartbeatTest {

    @GrpcClient("identity")
    IdentityServiceBlockingStub identity;

    @GrpcClient("identity")
    Channel channel;

    @Inject
    TestClock clock;

    @Inject
    ExpirySweep sweep;

    @Inject
    Vertx vertx;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void aQuietStreamCarriesHeartbeats() throws Exception {
        BlockingQueue<WatchIdentityChangesResponse> events = new LinkedBlockingQueue<>();
        Context.CancellableContext watch = watch(events);
        try {
            WatchIdentityChangesResponse beat = await(events, WatchIdentityChangesResponse::getHeartbeat, 60);
            assertNotNull(beat, "no heartbeat");
            assertEquals("", beat.getPerson() + beat.getOrganisation() + beat.getApiKey(), "a heartbeat names nothing");
        } finally {
            watch.cancel(null);
        }
    }

    @Test
    void theSweepAnnouncesExpiredEvidenceAndExpiredKeys() throws Exception {
        Instant now = Instant.now();
        Person p = person(identity, null, null);
        long revision = record(identity, p, evidence(ImmigrationStatus.IMMIGRATION_STATUS_NONE, birth("US"))
                .setExpireTime(ts(now.plus(Duration.ofDays(1))))).getPerson().getIdentityRevision();
        ApiKey key = identity.createApiKey(CreateApiKeyRequest.newBuilder().setApiKey(ApiKey.newBuilder()
                .setOwner(p.getName()).setDisplayName("expiring").setExpireTime(ts(now.plus(Duration.ofDays(1)))))
                .build()).getApiKey();

        BlockingQueue<WatchIdentityChangesResponse> events = new LinkedBlockingQueue<>();
        Context.CancellableContext watch = watch(events);
        try {
            // The stream is hot: wait for a heartbeat so the subscription is in place.
            assertNotNull(await(events, WatchIdentityChangesResponse::getHeartbeat, 60), "stream open");
            clock.advance(Duration.ofDays(2));
            int published = BackgroundContext.run(vertx, sweep::sweep).await().atMost(Duration.ofSeconds(60));
            assertTrue(published >= 2, "published " + published);

            WatchIdentityChangesResponse personEvent = await(events,
                    e -> e.getPerson().equals(p.getName()) && e.getIdentityRevision() > revision, 30);
            assertNotNull(personEvent, "no event for the person whose evidence expired");
            assertNotNull(await(events, e -> e.getApiKey().equals(key.getName()), 30), "no event for the expired key");
            assertEquals(UsPersonStatus.US_PERSON_STATUS_UNKNOWN, identity.getPerson(GetPersonRequest.newBuilder()
                    .setName(p.getName()).build()).getPerson().getUsPersonStatus());

            // The expiry is a change by the service itself: one row, actor system, in the sweep's transaction.
            List<Change> expired = identity.listChanges(ListChangesRequest.newBuilder().setActor("system")
                    .setResource(p.getName() + "/verifications/*").build()).getChangesList();
            assertEquals(1, expired.size(), expired::toString);
            assertEquals("EXPIRE", expired.get(0).getAction());
            assertTrue(expired.get(0).getBefore().contains("VERIFICATION_STATE_VERIFIED"), expired.get(0).getBefore());
            assertTrue(expired.get(0).getAfter().contains("VERIFICATION_STATE_EXPIRED"), expired.get(0).getAfter());
            assertTrue(expired.get(0).getReason().startsWith("expired at "), expired.get(0).getReason());

            // Nothing more to announce, and nothing more logged.
            assertEquals(0, BackgroundContext.run(vertx, sweep::sweep).await().atMost(Duration.ofSeconds(60)));
            assertEquals(1, identity.listChanges(ListChangesRequest.newBuilder().setActor("system")
                    .setResource(p.getName() + "/verifications/*").build()).getChangesCount());
        } finally {
            watch.cancel(null);
        }
    }

    @Test
    void syncKeycloakWithoutAClientSecretIsAFailedPrecondition() {
        assertError(Status.Code.FAILED_PRECONDITION, "FAILED_PRECONDITION",
                () -> identity.syncKeycloak(SyncKeycloakRequest.getDefaultInstance()));
    }

    private Context.CancellableContext watch(BlockingQueue<WatchIdentityChangesResponse> events) {
        IdentityServiceGrpc.IdentityServiceStub async = IdentityServiceGrpc.newStub(channel);
        Context.CancellableContext watch = Context.current().withCancellation();
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
        return watch;
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
