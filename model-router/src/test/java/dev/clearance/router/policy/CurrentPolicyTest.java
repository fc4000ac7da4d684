package dev.clearance.router.policy;

import dev.clearance.router.TestSnapshots;
import dev.clearance.policy.PolicySnapshot;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CurrentPolicyTest {

    @Test
    void holdsNothingUntilTheFirstSnapshot() {
        CurrentPolicy current = new CurrentPolicy();
        assertNull(current.get());
        PolicySnapshot first = TestSnapshots.scenario(3);
        assertTrue(current.offer(first));
        assertSame(first, current.get());
    }

    @Test
    void aNewerRevisionReplacesAnOlderOneNeverTheReverse() {
        CurrentPolicy current = new CurrentPolicy();
        PolicySnapshot five = TestSnapshots.scenario(5);
        assertTrue(current.offer(five));
        assertFalse(current.offer(TestSnapshots.scenario(3)), "older revision must be ignored");
        assertFalse(current.offer(TestSnapshots.scenario(5)), "a replay of the held revision changes nothing");
        assertSame(five, current.get());
        PolicySnapshot six = TestSnapshots.scenario(6);
        assertTrue(current.offer(six));
        assertEquals(6, current.get().revision());
    }

    @Test
    void clearedPolicyHoldsNothing() {
        CurrentPolicy current = new CurrentPolicy();
        current.offer(TestSnapshots.scenario(2));
        current.clear();
        assertNull(current.get());
        assertNull(current.held());
    }

    @Test
    void aDiskSnapshotGivesWayToTheFirstStreamedOneWhateverItsRevision() {
        CurrentPolicy current = new CurrentPolicy();
        assertTrue(current.offer(TestSnapshots.scenario(8), CurrentPolicy.Source.DISK));
        PolicySnapshot streamed = TestSnapshots.scenario(2);
        assertTrue(current.offer(streamed), "the control plane is the authority");
        assertSame(streamed, current.get());
        assertEquals(CurrentPolicy.Source.STREAM, current.held().source());
        assertFalse(current.offer(TestSnapshots.scenario(1)), "from then on only higher revisions");
    }
}
