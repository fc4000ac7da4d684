package dev.clearance.entitlement.grpc;

import dev.clearance.entitlement.Catalogue;
import dev.clearance.entitlement.v1.*;
import dev.clearance.testing.PostgresTestResource;
import io.grpc.Context;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import dev.clearance.entitlement.propagation.RouterPresence;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class WatchPolicyTest {

    /** Generous: only bounds a broken test, never measures anything. */
    private static final long AWAIT_SECONDS = 60;

    @GrpcClient("entitlement")
    EntitlementServiceGrpc.EntitlementServiceBlockingStub client;

    @Inject
    RouterPresence presence;

    /** One WatchPolicy stream read with a blocking iterator; closing it cancels the call. */
    private final class Watch implements AutoCloseable {
        final Context.CancellableContext context = Context.current().withCancellation();
        final Iterator<WatchPolicyResponse> responses;
        final List<PolicySnapshot> received = new ArrayList<>();

        Watch(String router) {
            // The call belongs to the context it starts in; cancelling that context cancels the call.
            Context previous = context.attach();
            try {
                responses = client.withDeadlineAfter(AWAIT_SECONDS, TimeUnit.SECONDS)
                        .watchPolicy(WatchPolicyRequest.newBuilder().setRouterId(router).build());
            } finally {
                context.detach(previous);
            }
        }

        final List<PolicyHeartbeat> heartbeats = new ArrayList<>();

        /** Reads snapshots until one satisfies {@code done}; heartbeats in between are kept aside. */
        PolicySnapshot until(Predicate<PolicySnapshot> done) {
            while (true) {
                WatchPolicyResponse next = responses.next();
                if (next.hasHeartbeat()) {
                    heartbeats.add(next.getHeartbeat());
                    continue;
                }
                PolicySnapshot s = next.getSnapshot();
                received.add(s);
                if (done.test(s)) {
                    return s;
                }
            }
        }

        /** Reads until a heartbeat arrives, keeping snapshots seen on the way. */
        PolicyHeartbeat nextHeartbeat() {
            while (true) {
                WatchPolicyResponse next = responses.next();
                if (next.hasHeartbeat()) {
                    heartbeats.add(next.getHeartbeat());
                    return next.getHeartbeat();
                }
                received.add(next.getSnapshot());
            }
        }

        void assertIncreasing() {
            for (int i = 1; i < received.size(); i++) {
                assertTrue(received.get(i).getRevision() > received.get(i - 1).getRevision(),
                        "revisions only increase on a stream");
            }
        }

        @Override
        public void close() {
            context.cancel(null);
        }
    }

    @Test
    void streamsTheCurrentSnapshotThenEachCommittedChange() throws Exception {
        try (Watch watch = new Watch("router-a")) {
            PolicySnapshot first = watch.until(s -> true);
            long current = client.getPolicySnapshot(GetPolicySnapshotRequest.getDefaultInstance()).getSnapshot().getRevision();
            assertTrue(first.getRevision() > 0 && first.getRevision() <= current);

            Tier created = client.createTier(CreateTierRequest.newBuilder().setTierId("watch-" + Catalogue.unique())
                    .setTier(Tier.newBuilder().addModelPatterns("lyric-*")).build()).getTier();

            PolicySnapshot next = watch.until(s -> s.getTiersList().contains(created));
            assertTrue(next.getRevision() > current);
            watch.assertIncreasing();
        }
    }

    @Test
    void everyOpenStreamReceivesADirectiveChange() throws Exception {
        String fam = "wd" + Catalogue.unique();
        Catalogue.family(client, fam, 2);
        client.createDirective(CreateDirectiveRequest.newBuilder().setDirectiveId("d-" + fam)
                .setDirective(Directive.newBuilder().setIssuer("BIS").setCitation("15 CFR 734.13")
                        .addScope(FamilyScope.newBuilder().setFamily("families/" + fam).setFromVersion(fam + "-2"))
                        .setSubjects(DirectiveSubjects.newBuilder().setKind(SubjectKind.SUBJECT_KIND_FOREIGN_PERSONS)))
                .build());
        try (Watch a = new Watch("router-a"); Watch b = new Watch("router-b")) {
            a.until(s -> true);
            b.until(s -> true);

            long revision = client.enforceDirective(EnforceDirectiveRequest.newBuilder()
                    .setName("directives/d-" + fam).setReason("test").setEmergency(true).build()).getPolicyRevision();

            for (Watch w : List.of(a, b)) {
                PolicySnapshot snap = w.until(s -> s.getRevision() >= revision);
                Directive d = snap.getDirectivesList().stream().filter(x -> x.getName().equals("directives/d-" + fam))
                        .findFirst().orElseThrow();
                assertEquals(dev.clearance.entitlement.v1.DirectiveState.DIRECTIVE_STATE_ENFORCED, d.getState());
                w.assertIncreasing();
            }
        }
    }

    @Test
    void heartbeatsFollowTheSnapshotAndNameItsRevision() throws Exception {
        try (Watch watch = new Watch("router-heartbeat")) {
            PolicySnapshot first = watch.until(s -> true);
            // Several in a row: they keep coming, each naming the revision the stream holds.
            for (int i = 0; i < 3; i++) {
                PolicyHeartbeat beat = watch.nextHeartbeat();
                PolicySnapshot held = watch.received.get(watch.received.size() - 1);
                assertEquals(held.getRevision(), beat.getRevision(), "a heartbeat names the newest revision sent");
                assertTrue(beat.getRevision() >= first.getRevision());
                assertTrue(beat.hasSendTime() && beat.getSendTime().getSeconds() > 0);
                assertEquals("entitlement-test", beat.getReplica());
            }
        }
    }

    @Test
    void aCancelledStreamIsForgottenByTheServer() throws Exception {
        // Named by its router, not counted: another test's stream may still be closing meanwhile.
        Watch watch = new Watch("router-gone");
        watch.until(s -> true);
        assertTrue(presence.connectedRouters().contains("router-gone"), presence.connectedRouters().toString());
        watch.close();
        // The cancellation travels to the server asynchronously: wait for it (bounded), do not time it.
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS);
        while (presence.connectedRouters().contains("router-gone") && System.nanoTime() < giveUp) {
            Thread.sleep(20);
        }
        assertFalse(presence.connectedRouters().contains("router-gone"), presence.connectedRouters().toString());
    }
}
