package dev.clearance.entitlement.grpc;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import dev.clearance.entitlement.Catalogue;
import dev.clearance.entitlement.Grpc;
import dev.clearance.entitlement.v1.*;
import io.grpc.Context;
import dev.clearance.testing.PostgresTestResource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acknowledgements, propagation status and EnforceDirective's propagation wait, with routers
 * played by the test: a WatchPolicy stream (presence) that acknowledges what it receives, or not.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class PropagationTest {

    private static final long AWAIT_SECONDS = 60;

    @GrpcClient("entitlement")
    EntitlementServiceGrpc.EntitlementServiceBlockingStub client;

    /** A router: watches the policy on a thread and, if {@code acknowledges}, acknowledges each snapshot. */
    private final class Router implements AutoCloseable {
        final String id;
        final Context.CancellableContext context = Context.current().withCancellation();
        final Thread reader;
        volatile long received;

        Router(String id, boolean acknowledges) {
            this.id = id;
            Context previous = context.attach();
            Iterator<WatchPolicyResponse> responses;
            try {
                responses = client.withDeadlineAfter(AWAIT_SECONDS * 2, TimeUnit.SECONDS)
                        .watchPolicy(WatchPolicyRequest.newBuilder().setRouterId(id).build());
            } finally {
                context.detach(previous);
            }
            reader = new Thread(() -> {
                try {
                    while (responses.hasNext()) {
                        WatchPolicyResponse next = responses.next();
                        if (next.hasSnapshot()) {
                            received = next.getSnapshot().getRevision();
                            if (acknowledges) {
                                client.acknowledgePolicy(AcknowledgePolicyRequest.newBuilder().setRouterId(id)
                                        .setRevision(received).setApplyTime(now()).build());
                            }
                        }
                    }
                } catch (RuntimeException closed) {
                    // cancelled by close()
                }
            }, "router-" + id);
            reader.setDaemon(true);
            reader.start();
        }

        @Override
        public void close() {
            context.cancel(null);
        }
    }

    private static Timestamp now() {
        java.time.Instant now = java.time.Instant.now();
        return Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
    }

    private Map<String, RouterPropagation> routers(PropagationStatus status) {
        return status.getRoutersList().stream().collect(Collectors.toMap(RouterPropagation::getRouterId, Function.identity()));
    }

    private PropagationStatus status(long revision) {
        return client.getPropagationStatus(GetPropagationStatusRequest.newBuilder().setRevision(revision).build())
                .getStatus();
    }

    /** Waits (bounded) until exactly {@code ids} are the live routers: other tests' watchers age out. */
    private void awaitLiveRouters(Set<String> ids) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS);
        while (System.nanoTime() < giveUp) {
            Set<String> live = status(0).getRoutersList().stream().filter(RouterPropagation::getLive)
                    .map(RouterPropagation::getRouterId).collect(Collectors.toSet());
            if (live.equals(ids)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("live routers never became " + ids + ": " + status(0));
    }

    private String directive(String prefix) {
        String fam = prefix + Catalogue.unique();
        Catalogue.family(client, fam, 2);
        client.createDirective(CreateDirectiveRequest.newBuilder().setDirectiveId("d-" + fam)
                .setDirective(Directive.newBuilder().setIssuer("BIS").setCitation("15 CFR 734.13")
                        .addScope(FamilyScope.newBuilder().setFamily("families/" + fam))
                        .setSubjects(DirectiveSubjects.newBuilder().setKind(SubjectKind.SUBJECT_KIND_FOREIGN_PERSONS)))
                .build());
        return "directives/d-" + fam;
    }

    @Test
    void anAcknowledgedRevisionIsAppliedSinceItsApplyTime() {
        String router = "ack-" + Catalogue.unique();
        long current = status(0).getRevision();
        assertTrue(current > 0);
        Timestamp applied = Timestamp.newBuilder().setSeconds(1_780_000_000L).setNanos(123_000).build();
        client.acknowledgePolicy(AcknowledgePolicyRequest.newBuilder().setRouterId(router).setRevision(current)
                .setApplyTime(applied).build());
        // A repeat (a reconnecting router) keeps the first time.
        client.acknowledgePolicy(AcknowledgePolicyRequest.newBuilder().setRouterId(router).setRevision(current)
                .setApplyTime(now()).build());

        RouterPropagation mine = routers(status(current)).get(router);
        assertTrue(mine.getApplied());
        assertEquals(applied, mine.getApplyTime());
        assertEquals(current, mine.getLatestRevision());
        assertEquals("entitlement-test", mine.getReplica());
        assertTrue(mine.getLive(), "an acknowledgement counts as being seen");

        // An older revision is applied since the same moment; a newer one not yet.
        assertEquals(applied, routers(status(current - 1)).get(router).getApplyTime());
        RouterPropagation later = routers(status(current + 1)).get(router);
        assertFalse(later.getApplied());
        assertFalse(later.hasApplyTime());
        assertFalse(status(current + 1).getComplete(), "a live router has not applied it");
    }

    @Test
    void enforceWaitsUntilEveryLiveRouterAcknowledged() throws Exception {
        String name = directive("pw");
        try (Router a = new Router("pw-a-" + Catalogue.unique(), true);
             Router b = new Router("pw-b-" + Catalogue.unique(), true)) {
            awaitLiveRouters(Set.of(a.id, b.id));
            // Asked for by one officer, the enforcement takes effect when a second approves: that call waits.
            dev.clearance.entitlement.OperatorTokens.as(client, "carol", dev.clearance.testing.TestIssuer.COMPLIANCE).enforceDirective(EnforceDirectiveRequest.newBuilder().setName(name).setReason("test").build());
            ApproveDirectiveResponse response = dev.clearance.entitlement.OperatorTokens.as(client, "dan", dev.clearance.testing.TestIssuer.COMPLIANCE).approveDirective(ApproveDirectiveRequest.newBuilder()
                    .setName(name).setReason("second officer")
                    .setPropagationTimeout(Duration.newBuilder().setSeconds(AWAIT_SECONDS)).build());
            assertEquals(DirectiveState.DIRECTIVE_STATE_ENFORCED, response.getDirective().getState());

            PropagationStatus propagation = response.getPropagation();
            assertEquals(response.getPolicyRevision(), propagation.getRevision());
            assertTrue(propagation.getComplete(), () -> "every live router acknowledged: " + propagation);
            Map<String, RouterPropagation> routers = routers(propagation);
            for (Router r : new Router[] {a, b}) {
                RouterPropagation p = routers.get(r.id);
                assertTrue(p.getApplied() && p.hasApplyTime() && p.getLive(), () -> r.id + ": " + p);
                assertTrue(p.getLatestRevision() >= response.getPolicyRevision());
            }
            // Any replica answers the same from the database.
            assertTrue(routers(status(response.getPolicyRevision())).get(a.id).getApplied());
        }
    }

    @Test
    void enforceAnswersWhenTheTimeoutPassesWithTheRoutersThatHaveNotApplied() throws Exception {
        String name = directive("pt");
        try (Router acks = new Router("pt-a-" + Catalogue.unique(), true);
             Router silent = new Router("pt-s-" + Catalogue.unique(), false)) {
            awaitLiveRouters(Set.of(acks.id, silent.id));
            EnforceDirectiveResponse response = client.enforceDirective(EnforceDirectiveRequest.newBuilder()
                    .setName(name).setReason("test").setEmergency(true)
                    .setPropagationTimeout(Duration.newBuilder().setNanos(300_000_000)).build());

            PropagationStatus propagation = response.getPropagation();
            assertFalse(propagation.getComplete());
            RouterPropagation stuck = routers(propagation).get(silent.id);
            assertTrue(stuck.getLive());
            assertFalse(stuck.getApplied());
            assertFalse(stuck.hasApplyTime());
            // The directive is enforced all the same: the wait only reports.
            assertEquals(DirectiveState.DIRECTIVE_STATE_ENFORCED, response.getDirective().getState());
        }
    }

    @Test
    void withoutATimeoutEnforceDoesNotReportPropagation() {
        String name = directive("pn");
        EnforceDirectiveResponse response = client.enforceDirective(EnforceDirectiveRequest.newBuilder()
                .setName(name).setReason("test").build());
        assertFalse(response.hasPropagation());
    }

    @Test
    void invalidAcknowledgementsAndWaitsAreRefusedWithNothingStored() {
        Grpc.expectViolations(() -> client.acknowledgePolicy(AcknowledgePolicyRequest.newBuilder()
                .setRevision(0).build()), "router_id", "revision");
        Grpc.expectViolations(() -> client.acknowledgePolicy(AcknowledgePolicyRequest.newBuilder()
                .setRouterId("bad id!").setRevision(3).build()), "router_id");
        Grpc.expectViolations(() -> client.getPropagationStatus(GetPropagationStatusRequest.newBuilder()
                .setRevision(-1).build()), "revision");

        String name = directive("pv");
        long before = status(0).getRevision();
        Grpc.expectViolations(() -> client.enforceDirective(EnforceDirectiveRequest.newBuilder().setName(name)
                .setPropagationTimeout(Duration.newBuilder().setSeconds(-1)).build()), "propagation_timeout");
        Grpc.expectViolations(() -> client.enforceDirective(EnforceDirectiveRequest.newBuilder().setName(name)
                .setPropagationTimeout(Duration.newBuilder().setSeconds(61)).build()), "propagation_timeout");
        assertEquals(before, status(0).getRevision(), "nothing was written");
        assertEquals(DirectiveState.DIRECTIVE_STATE_DRAFT, client.getDirective(GetDirectiveRequest.newBuilder()
                .setName(name).build()).getDirective().getState());
    }
}
