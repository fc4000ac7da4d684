package dev.clearance.router.identity;

import dev.clearance.common.v1.CallerIdentity;
import dev.clearance.identity.v1.IdentityServiceGrpc;
import dev.clearance.identity.v1.MutinyIdentityServiceGrpc;
import dev.clearance.identity.v1.WatchIdentityChangesRequest;
import dev.clearance.identity.v1.WatchIdentityChangesResponse;
import dev.clearance.router.auth.Credential;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When the change stream vouches for the router's cache: only once a stream is established (its
 * first message arrived), never during mere connection attempts; a stream that goes silent, not
 * even heartbeats, is treated as dead.
 */
class IdentityChangeWatcherLivenessTest {

    private final AtomicInteger watches = new AtomicInteger();
    private Server server;
    private ManagedChannel channel;
    private IdentityChangeWatcher watcher;

    @AfterEach
    void stop() throws InterruptedException {
        if (watcher != null) {
            watcher.onStop(null);
        }
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSilentStreamIsCutCountedAsDownAndReopened() throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor().addService(new IdentityServiceGrpc.IdentityServiceImplBase() {
            @Override
            public void watchIdentityChanges(WatchIdentityChangesRequest request,
                                             StreamObserver<WatchIdentityChangesResponse> observer) {
                watches.incrementAndGet();
                // The heartbeat identity-service sends at once, then never a word: a peer gone without a
                // reset looks like this.
                observer.onNext(WatchIdentityChangesResponse.newBuilder().setHeartbeat(true).build());
            }
        }).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();

        AtomicInteger resolutions = new AtomicInteger();
        CallerDirectory directory = new CallerDirectory(credential -> {
            resolutions.incrementAndGet();
            return Uni.createFrom().item(CallerIdentity.newBuilder().setPerson("persons/alice").build());
        }, Duration.ofMinutes(1), 100, Duration.ofMinutes(10), System::nanoTime);
        watcher = new IdentityChangeWatcher();
        watcher.identity = MutinyIdentityServiceGrpc.newMutinyStub(channel);
        watcher.directory = directory;
        watcher.enabled = true;
        watcher.initialBackoff = Duration.ofMillis(10);
        watcher.maxBackoff = Duration.ofMillis(50);
        watcher.heartbeatTimeout = Duration.ofMillis(300);

        watcher.onStart(null);
        awaitTrue(() -> watches.get() >= 1 && directory.changeStreamConnected(), "the watcher's stream is established");
        directory.resolve(Credential.bearerToken("alice")).await().indefinitely();
        directory.resolve(Credential.bearerToken("alice")).await().indefinitely();
        assertEquals(1, resolutions.get(), "cached while the stream is open");

        // The liveness check marks the directory disconnected before it reopens, so "connected" seen
        // after the second stream opened was set by that stream's heartbeat.
        awaitTrue(() -> watches.get() >= 2 && directory.changeStreamConnected(),
                "the silent stream was given up, reopened and established again");
        // The new stream's first message drops the cache: changes sent while the stream was dead were missed.
        directory.resolve(Credential.bearerToken("alice")).await().indefinitely();
        assertTrue(resolutions.get() >= 2, "resolved again after the reconnect");
    }

    /**
     * identity-service down: every reconnection attempt fails. The cache must survive the attempts
     * (entries within the staleness bound keep serving) and the directory must never believe a
     * stream vouches for it; only when a stream is established again is the cache dropped.
     */
    @Test
    void connectionAttemptsDuringAnOutageNeitherEmptyTheCacheNorClaimAConnection() throws Exception {
        AtomicBoolean down = new AtomicBoolean(false);
        AtomicBoolean connectedDuringAnAttempt = new AtomicBoolean(false);
        AtomicReference<StreamObserver<WatchIdentityChangesResponse>> current = new AtomicReference<>();
        AtomicReference<CallerDirectory> directoryRef = new AtomicReference<>();
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor().addService(new IdentityServiceGrpc.IdentityServiceImplBase() {
            @Override
            public void watchIdentityChanges(WatchIdentityChangesRequest request,
                                             StreamObserver<WatchIdentityChangesResponse> observer) {
                watches.incrementAndGet();
                if (down.get()) {
                    // Direct executor: this runs inside the router's connection attempt, so what the
                    // directory believes now is what it believed during the attempt.
                    if (directoryRef.get().changeStreamConnected()) {
                        connectedDuringAnAttempt.set(true);
                    }
                    observer.onError(Status.UNAVAILABLE.withDescription("identity-service is down").asRuntimeException());
                    return;
                }
                current.set(observer);
                observer.onNext(WatchIdentityChangesResponse.newBuilder().setHeartbeat(true).build());
            }
        }).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();

        AtomicInteger resolutions = new AtomicInteger();
        CallerDirectory directory = new CallerDirectory(credential -> {
            resolutions.incrementAndGet();
            return Uni.createFrom().item(CallerIdentity.newBuilder().setPerson("persons/alice").build());
        }, Duration.ofMinutes(1), 100, Duration.ofMinutes(10), System::nanoTime);
        directoryRef.set(directory);
        watcher = new IdentityChangeWatcher();
        watcher.identity = MutinyIdentityServiceGrpc.newMutinyStub(channel);
        watcher.directory = directory;
        watcher.enabled = true;
        watcher.initialBackoff = Duration.ofMillis(10);
        watcher.maxBackoff = Duration.ofMillis(20);
        watcher.heartbeatTimeout = Duration.ZERO;

        watcher.onStart(null);
        awaitTrue(directory::changeStreamConnected, "the first stream is established");
        directory.resolve(Credential.bearerToken("alice")).await().indefinitely();
        assertEquals(1, resolutions.get());

        // The outage: the open stream fails and every attempt after it fails too.
        down.set(true);
        current.get().onError(Status.UNAVAILABLE.withDescription("identity-service stopped").asRuntimeException());
        int before = watches.get();
        awaitTrue(() -> watches.get() >= before + 5, "the watcher kept trying to reconnect");
        assertFalse(connectedDuringAnAttempt.get(), "the directory believed a stream was connected during an attempt");
        assertFalse(directory.changeStreamConnected(), "no stream vouches for the cache during the outage");
        directory.resolve(Credential.bearerToken("alice")).await().indefinitely();
        assertEquals(1, resolutions.get(), "failed attempts must not empty the cache (within the staleness bound)");

        // identity-service is back: the new stream's first message drops what may have missed changes.
        down.set(false);
        awaitTrue(directory::changeStreamConnected, "a stream is established again");
        directory.resolve(Credential.bearerToken("alice")).await().indefinitely();
        assertEquals(2, resolutions.get(), "the cache was dropped when the stream was established again");
    }

    @Test
    void aHeartbeatEvictsNothing() {
        AtomicInteger resolutions = new AtomicInteger();
        CallerDirectory directory = new CallerDirectory(credential -> {
            resolutions.incrementAndGet();
            return Uni.createFrom().item(CallerIdentity.newBuilder().setPerson("persons/alice").build());
        }, Duration.ofMinutes(1), 100, Duration.ofMinutes(10), System::nanoTime);
        watcher = new IdentityChangeWatcher();
        watcher.directory = directory;
        directory.resolve(Credential.bearerToken("alice")).await().indefinitely();
        watcher.apply(WatchIdentityChangesResponse.newBuilder().setHeartbeat(true).build());
        directory.resolve(Credential.bearerToken("alice")).await().indefinitely();
        assertEquals(1, resolutions.get());
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("gave up waiting: " + what);
            }
            Thread.sleep(20);
        }
    }
}
