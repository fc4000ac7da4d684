package dev.clearance.router.identity;

import dev.clearance.common.v1.CallerIdentity;
import dev.clearance.identity.v1.IdentityServiceGrpc;
import dev.clearance.identity.v1.MutinyIdentityServiceGrpc;
import dev.clearance.identity.v1.WatchIdentityChangesRequest;
import dev.clearance.identity.v1.WatchIdentityChangesResponse;
import dev.clearance.router.auth.Credential;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A change stream that stays open but sends nothing, not even heartbeats, is treated as dead. */
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
                watches.incrementAndGet();    // and never a word: a peer gone without a reset looks like this
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
        awaitTrue(() -> watches.get() >= 1, "the watcher opened a stream");
        directory.resolve(Credential.bearerToken("alice")).await().indefinitely();
        directory.resolve(Credential.bearerToken("alice")).await().indefinitely();
        assertEquals(1, resolutions.get(), "cached while the stream is open");

        awaitTrue(() -> watches.get() >= 2, "the silent stream was given up and reopened");
        // Reopening drops the cache: changes sent while the stream was dead were missed.
        directory.resolve(Credential.bearerToken("alice")).await().indefinitely();
        assertTrue(resolutions.get() >= 2, "resolved again after the reconnect");
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
