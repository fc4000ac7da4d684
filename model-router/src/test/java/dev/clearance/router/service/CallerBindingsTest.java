package dev.clearance.router.service;

import dev.clearance.common.v1.CallerIdentity;
import dev.clearance.common.v1.UsPersonStatus;
import dev.clearance.policy.BoundCaller;
import dev.clearance.policy.PolicySnapshot;
import dev.clearance.router.TestSnapshots;
import dev.clearance.router.policy.PolicyChanged;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CallerBindingsTest {

    private final CallerBindings bindings = new CallerBindings(1000);
    private final CallerIdentity bogdan = TestSnapshots.person("bogdan", UsPersonStatus.US_PERSON_STATUS_FOREIGN_PERSON, "IN");

    @Test
    void oneBindingPerIdentityAndSnapshot() {
        PolicySnapshot first = TestSnapshots.compiled(1, false);
        BoundCaller bound = bindings.bind(first, bogdan);
        assertTrue(bound.isBoundTo(first));
        assertSame(bound, bindings.bind(first, bogdan), "the second request reuses the binding");

        PolicySnapshot second = TestSnapshots.compiled(2, true);
        BoundCaller rebound = bindings.bind(second, bogdan);
        assertNotSame(bound, rebound);
        assertTrue(rebound.isBoundTo(second), "a binding to an older snapshot is replaced, not used");
    }

    @Test
    void aNewSnapshotClearsEveryBindingSoNoneHoldsAnOldSnapshot() {
        PolicySnapshot first = TestSnapshots.compiled(1, false);
        BoundCaller bound = bindings.bind(first, bogdan);
        bindings.onPolicyChanged(new PolicyChanged(TestSnapshots.compiled(2, false), false));
        assertTrue(bindings.size() == 0);
        assertNotSame(bound, bindings.bind(first, bogdan));
    }

    @Test
    void anEqualButDifferentIdentityObjectIsBoundOnItsOwn() {
        // The identity cache replaces an identity with a new object when it changes; bindings follow objects.
        PolicySnapshot first = TestSnapshots.compiled(1, false);
        CallerIdentity copy = bogdan.toBuilder().build();
        assertNotSame(bindings.bind(first, bogdan), bindings.bind(first, copy));
    }
}
