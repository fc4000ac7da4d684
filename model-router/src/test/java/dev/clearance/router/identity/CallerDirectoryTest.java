package dev.clearance.router.identity;

import dev.clearance.common.v1.CallerIdentity;
import dev.clearance.router.auth.Credential;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CallerDirectoryTest {

    private final AtomicInteger resolutions = new AtomicInteger();

    private final CallerResolver counting = credential -> {
        resolutions.incrementAndGet();
        return Uni.createFrom().item(CallerIdentity.newBuilder()
                .setPerson("persons/" + credential.secret())
                .setIdentityRevision(resolutions.get())
                .build());
    };

    @Test
    void theSameCredentialIsResolvedOnce() {
        CallerDirectory directory = new CallerDirectory(counting, Duration.ofMinutes(1), 100);
        CallerIdentity first = directory.resolve(Credential.bearerToken("alice")).await().indefinitely();
        CallerIdentity second = directory.resolve(Credential.bearerToken("alice")).await().indefinitely();
        assertEquals(1, resolutions.get());
        assertEquals(first, second);
        assertEquals("persons/alice", second.getPerson());
    }

    @Test
    void differentCredentialsAreResolvedSeparately() {
        CallerDirectory directory = new CallerDirectory(counting, Duration.ofMinutes(1), 100);
        assertEquals("persons/alice", directory.resolve(Credential.bearerToken("alice")).await().indefinitely()
                .getPerson());
        assertEquals("persons/bogdan", directory.resolve(Credential.bearerToken("bogdan")).await().indefinitely()
                .getPerson());
        // The same secret as an API key is not the bearer token's cache entry.
        directory.resolve(Credential.apiKey("alice")).await().indefinitely();
        assertEquals(3, resolutions.get());
    }

    @Test
    void failuresAreNotCached() {
        AtomicInteger attempts = new AtomicInteger();
        CallerDirectory directory = new CallerDirectory(credential -> {
            attempts.incrementAndGet();
            return Uni.createFrom().failure(new IllegalStateException("identity-service down"));
        }, Duration.ofMinutes(1), 100);
        Credential alice = Credential.bearerToken("alice");
        assertThrows(IllegalStateException.class, () -> directory.resolve(alice).await().indefinitely());
        assertThrows(IllegalStateException.class, () -> directory.resolve(alice).await().indefinitely());
        assertEquals(2, attempts.get());
    }

    @Test
    void concurrentMissesShareOneResolution() {
        CompletableFuture<CallerIdentity> pending = new CompletableFuture<>();
        AtomicInteger attempts = new AtomicInteger();
        CallerDirectory directory = new CallerDirectory(credential -> {
            attempts.incrementAndGet();
            return Uni.createFrom().completionStage(pending);
        }, Duration.ofMinutes(1), 100);
        Credential alice = Credential.bearerToken("alice");
        CompletableFuture<CallerIdentity> a = directory.resolve(alice).subscribeAsCompletionStage();
        CompletableFuture<CallerIdentity> b = directory.resolve(alice).subscribeAsCompletionStage();
        pending.complete(CallerIdentity.newBuilder().setPerson("persons/alice").build());
        assertEquals("persons/alice", a.join().getPerson());
        assertEquals("persons/alice", b.join().getPerson());
        assertEquals(1, attempts.get());
    }

    @Test
    void anExpiredEntryIsResolvedAgain() {
        CallerDirectory directory = new CallerDirectory(counting, Duration.ZERO, 100);
        directory.resolve(Credential.bearerToken("alice")).await().indefinitely();
        directory.resolve(Credential.bearerToken("alice")).await().indefinitely();
        assertEquals(2, resolutions.get());
    }

    @Test
    void aCachedIdentityIsAnsweredOnTheCallingThreadWithoutIo() {
        CallerDirectory directory = new CallerDirectory(counting, Duration.ofMinutes(1), 100);
        Credential alice = Credential.apiKey("alice");
        directory.resolve(alice).await().indefinitely();
        assertEquals(1, resolutions.get());

        // The fast path: the item is there before subscribe() returns, on this thread; nothing
        // was scheduled and identity-service was not asked.
        java.util.concurrent.atomic.AtomicReference<Thread> answeredOn = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<CallerIdentity> answer = new java.util.concurrent.atomic.AtomicReference<>();
        directory.resolve(alice).subscribe().with(identity -> {
            answeredOn.set(Thread.currentThread());
            answer.set(identity);
        });
        assertEquals("persons/alice", answer.get().getPerson());
        assertEquals(Thread.currentThread(), answeredOn.get());
        assertEquals(1, resolutions.get());
    }
}
