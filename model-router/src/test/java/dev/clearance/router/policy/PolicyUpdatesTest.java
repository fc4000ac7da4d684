package dev.clearance.router.policy;

import dev.clearance.entitlement.v1.PolicyHeartbeat;
import dev.clearance.router.TestSnapshots;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.NotificationOptions;
import jakarta.enterprise.util.TypeLiteral;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyUpdatesTest {

    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong();
    private final PolicyFreshness freshness = new PolicyFreshness(Duration.ofSeconds(10), clock::get);
    private final CurrentPolicy current = new CurrentPolicy();
    private final List<PolicyChanged> announced = new ArrayList<>();

    private PolicyUpdates updates(SnapshotFile file) {
        return new PolicyUpdates(current, freshness, file, new Recording());
    }

    private static PolicyHeartbeat heartbeat(long revision) {
        return PolicyHeartbeat.newBuilder().setRevision(revision).setReplica("entitlement-a").build();
    }

    private void silence(Duration d) {
        clock.addAndGet(d.toNanos());
    }

    @Test
    void aNewerSnapshotIsAppliedPersistedAndAnnounced() {
        SnapshotFile file = new SnapshotFile(dir.resolve("policy-snapshot.pb"));
        PolicyUpdates updates = updates(file);
        CurrentPolicy.Held held = updates.onSnapshot(TestSnapshots.proto(3, false));
        assertEquals(3, held.snapshot().revision());
        assertEquals(CurrentPolicy.Source.STREAM, held.source());
        assertFalse(freshness.isStale());
        assertEquals(3, file.read().orElseThrow().getRevision());
        assertEquals(List.of(3L), announced.stream().map(c -> c.snapshot().revision()).toList());
        assertFalse(announced.get(0).stale());

        // The same revision again (a reconnect) changes nothing but confirms freshness.
        silence(Duration.ofSeconds(11));
        assertTrue(freshness.isStale());
        assertEquals(3, updates.onSnapshot(TestSnapshots.proto(3, false)).snapshot().revision());
        assertFalse(freshness.isStale());
        assertEquals(1, announced.size(), "nothing new to re-check streams against");
    }

    @Test
    void heartbeatsKeepAHeldRevisionFreshButNotANewerOne() {
        PolicyUpdates updates = updates(new SnapshotFile((Path) null));
        updates.onSnapshot(TestSnapshots.proto(5, false));
        silence(Duration.ofSeconds(11));
        assertTrue(freshness.isStale());

        updates.onHeartbeat(heartbeat(6));
        assertTrue(freshness.isStale(), "revision 6 exists but is not held: its snapshot is still on the way");
        updates.onHeartbeat(heartbeat(5));
        assertFalse(freshness.isStale(), "recovers as soon as the control plane vouches for the held revision");
    }

    @Test
    void anUnwritableSnapshotPathStillApplies() throws Exception {
        Path blocker = Files.writeString(dir.resolve("not-a-directory"), "x");
        SnapshotFile file = new SnapshotFile(blocker.resolve("policy-snapshot.pb"));
        CurrentPolicy.Held held = updates(file).onSnapshot(TestSnapshots.proto(2, true));
        assertEquals(2, held.snapshot().revision());
        assertFalse(freshness.isStale());
        assertNotNull(file.lastError());
    }

    @Test
    void aSnapshotOnDiskIsServedStaleUntilTheStreamReplacesIt() {
        SnapshotFile file = new SnapshotFile(dir.resolve("policy-snapshot.pb"));
        file.write(TestSnapshots.proto(9, true));
        PolicyUpdates updates = updates(file);
        assertTrue(updates.loadFromDisk());
        assertEquals(CurrentPolicy.Source.DISK, current.held().source());
        assertEquals(9, current.get().revision());
        assertTrue(freshness.isStale(), "nothing heard from the control plane yet");

        updates.onHeartbeat(heartbeat(9));
        assertTrue(freshness.isStale(), "a heartbeat does not vouch for a snapshot it did not send");

        // The control plane's own snapshot wins, even at a lower revision (a restored database).
        CurrentPolicy.Held held = updates.onSnapshot(TestSnapshots.proto(4, false));
        assertEquals(4, held.snapshot().revision());
        assertEquals(CurrentPolicy.Source.STREAM, held.source());
        assertFalse(freshness.isStale());
    }

    @Test
    void noFileMeansNoDiskStart() {
        assertFalse(updates(new SnapshotFile(dir.resolve("missing.pb"))).loadFromDisk());
        assertEquals(null, current.get());
    }

    /** Records fired events; nothing else is used. */
    private final class Recording implements Event<PolicyChanged> {
        @Override
        public void fire(PolicyChanged event) {
            announced.add(event);
        }

        @Override
        public <U extends PolicyChanged> CompletionStage<U> fireAsync(U event) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends PolicyChanged> CompletionStage<U> fireAsync(U event, NotificationOptions options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Event<PolicyChanged> select(Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends PolicyChanged> Event<U> select(Class<U> subtype, Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends PolicyChanged> Event<U> select(TypeLiteral<U> subtype, Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }
    }
}
