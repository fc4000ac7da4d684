package dev.clearance.entitlement.service;

import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyRefreshTest {

    /** Launched rebuilds, each finished by the test; "publishing" sets the held revision. */
    private final List<CompletableFuture<CurrentPolicy>> rebuilds = new ArrayList<>();
    private final AtomicLong held = new AtomicLong();
    private final AtomicLong stored = new AtomicLong();

    private final PolicyRefresh refresh = new PolicyRefresh(() -> {
        CompletableFuture<CurrentPolicy> rebuild = new CompletableFuture<>();
        // A rebuild reads what is committed when it starts.
        long reads = stored.get();
        rebuilds.add(rebuild);
        return Uni.createFrom().completionStage(rebuild).invoke(() -> held.accumulateAndGet(reads, Math::max));
    }, held::get, Runnable::run);

    private void finish(int index) {
        rebuilds.get(index).complete(null);
    }

    @Test
    void aBurstOfRequestsCostsOneRebuildPlusOneQueued() {
        stored.set(7);
        for (int i = 0; i < 10; i++) {
            refresh.request(0);
        }
        assertEquals(1, rebuilds.size(), "one rebuild runs; the others queue as one");
        finish(0);
        assertEquals(2, rebuilds.size(), "the queued rebuild starts when the running one ends");
        finish(1);
        assertEquals(2, rebuilds.size(), "nothing more was asked");
        assertEquals(7, held.get());
    }

    @Test
    void aNotificationForAHeldRevisionNeedsNoRebuild() {
        held.set(9);
        refresh.request(9);
        refresh.request(3);
        assertEquals(0, rebuilds.size());
        refresh.request(10);
        assertEquals(1, rebuilds.size());
    }

    @Test
    void aWriterWaitsForARebuildThatStartedAfterItsCommit() throws Exception {
        stored.set(4);
        refresh.request(0);                     // running: reads revision 4
        stored.set(5);                          // a write commits revision 5 meanwhile
        CompletableFuture<Void> writer = refresh.atLeast(5).subscribeAsCompletionStage();
        finish(0);
        assertFalse(writer.isDone(), "the running rebuild read before the commit; it cannot satisfy the writer");
        assertEquals(2, rebuilds.size());
        finish(1);
        writer.get();
        assertEquals(5, held.get());
    }

    @Test
    void aWriterWhoseRevisionIsHeldDoesNotWait() throws Exception {
        held.set(12);
        refresh.atLeast(11).subscribeAsCompletionStage().get();
        assertEquals(0, rebuilds.size());
    }

    @Test
    void writersOfOneBurstShareTheRebuild() throws Exception {
        stored.set(3);
        CompletableFuture<Void> a = refresh.atLeast(3).subscribeAsCompletionStage();
        CompletableFuture<Void> b = refresh.atLeast(3).subscribeAsCompletionStage();
        // The first started a rebuild; the second queued behind it.
        finish(0);
        assertTrue(a.isDone());
        assertEquals(2, rebuilds.size());
        finish(1);
        b.get();
        assertEquals(2, refresh.rebuilds());
    }

    @Test
    void aFailedRebuildFailsItsWaitersAndIsReportedUntilOneSucceeds() {
        stored.set(2);
        CompletableFuture<Void> writer = refresh.atLeast(2).subscribeAsCompletionStage();
        rebuilds.get(0).completeExceptionally(new IllegalStateException("database gone"));
        ExecutionException e = assertThrows(ExecutionException.class, writer::get);
        assertEquals("database gone", e.getCause().getMessage());
        assertTrue(refresh.lastRebuildFailed());
        refresh.request(0);
        finish(1);
        assertFalse(refresh.lastRebuildFailed());
    }
}
