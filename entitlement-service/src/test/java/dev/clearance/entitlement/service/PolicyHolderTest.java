package dev.clearance.entitlement.service;

import dev.clearance.api.mapping.PolicyMapping;
import dev.clearance.policy.PolicySnapshot;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyHolderTest {

    private static CurrentPolicy policy(long revision) {
        var proto = dev.clearance.entitlement.v1.PolicySnapshot.newBuilder().setRevision(revision).build();
        return new CurrentPolicy(proto, PolicySnapshot.compile(PolicyMapping.toInputs(proto)));
    }

    private static List<Long> revisions(AssertSubscriber<dev.clearance.entitlement.v1.PolicySnapshot> s) {
        return s.getItems().stream().map(dev.clearance.entitlement.v1.PolicySnapshot::getRevision).toList();
    }

    @Test
    void neverGoesBackToAnOlderRevision() {
        PolicyHolder holder = new PolicyHolder();
        assertNull(holder.current());
        assertTrue(holder.publish(policy(5)));
        assertFalse(holder.publish(policy(3)), "a rebuild that finished late must not win");
        assertFalse(holder.publish(policy(5)));
        assertEquals(5, holder.current().revision());
        assertEquals(5, holder.current().compiled().revision());
    }

    @Test
    void watchSendsCurrentThenEachNewerRevisionOnly() {
        PolicyHolder holder = new PolicyHolder();
        holder.publish(policy(2));
        var stream = holder.watch().subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        holder.publish(policy(3));
        holder.publish(policy(1));
        holder.publish(policy(3));
        holder.publish(policy(7));
        assertEquals(List.of(2L, 3L, 7L), revisions(stream));
        stream.assertNotTerminated();
    }

    @Test
    void watchBeforeAnySnapshotWaitsForTheFirst() {
        PolicyHolder holder = new PolicyHolder();
        var stream = holder.watch().subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        assertEquals(List.of(), revisions(stream));
        holder.publish(policy(4));
        assertEquals(List.of(4L), revisions(stream));
    }

    @Test
    void cancelledStreamsAreForgotten() {
        PolicyHolder holder = new PolicyHolder();
        var a = holder.watch().subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        var b = holder.watch().subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        assertEquals(2, holder.watcherCount());
        a.cancel();
        assertEquals(1, holder.watcherCount());
        holder.publish(policy(9));
        assertEquals(List.of(), revisions(a));
        assertEquals(List.of(9L), revisions(b));
    }

    @Test
    void slowStreamKeepsOnlyTheNewestPendingSnapshot() {
        PolicyHolder holder = new PolicyHolder();
        var slow = holder.watch().subscribe().withSubscriber(AssertSubscriber.create(0));
        holder.publish(policy(1));
        holder.publish(policy(2));
        holder.publish(policy(3));
        slow.request(1);
        assertEquals(List.of(3L), revisions(slow));
    }
}
