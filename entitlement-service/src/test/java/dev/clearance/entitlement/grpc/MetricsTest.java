package dev.clearance.entitlement.grpc;

import dev.clearance.testing.PrometheusText;
import com.google.protobuf.Timestamp;
import dev.clearance.entitlement.Catalogue;
import dev.clearance.entitlement.v1.AcknowledgePolicyRequest;
import dev.clearance.entitlement.v1.CreateModelFamilyRequest;
import dev.clearance.entitlement.v1.EntitlementServiceGrpc;
import dev.clearance.entitlement.v1.GetPolicySnapshotRequest;
import dev.clearance.entitlement.v1.WatchPolicyRequest;
import dev.clearance.entitlement.v1.WatchPolicyResponse;
import dev.clearance.testing.PostgresTestResource;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /q/metrics after real writes, a watching router that acknowledges, and heartbeats. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class MetricsTest {

    private static final String LAG_COUNT = "clearance_entitlement_propagation_lag_seconds_count";

    @GrpcClient("entitlement")
    EntitlementServiceGrpc.EntitlementServiceBlockingStub client;

    @Test
    void writesRevisionRoutersHeartbeatsAndPropagationLag() throws Exception {
        Map<String, Double> before = scrape();
        String router = "metrics-" + Catalogue.unique();
        Context.CancellableContext watch = Context.current().withCancellation();
        Context previous = watch.attach();
        Iterator<WatchPolicyResponse> responses;
        try {
            responses = client.withDeadlineAfter(120, TimeUnit.SECONDS)
                    .watchPolicy(WatchPolicyRequest.newBuilder().setRouterId(router).build());
        } finally {
            watch.detach(previous);
        }
        Thread reader = new Thread(() -> {
            try {
                while (responses.hasNext()) {
                    WatchPolicyResponse next = responses.next();
                    if (next.hasSnapshot()) {
                        Instant now = Instant.now();
                        client.acknowledgePolicy(AcknowledgePolicyRequest.newBuilder().setRouterId(router)
                                .setRevision(next.getSnapshot().getRevision())
                                .setApplyTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond())
                                        .setNanos(now.getNano()))
                                .build());
                    }
                }
            } catch (RuntimeException cancelled) {
                // the test closed the stream
            }
        }, "metrics-router");
        reader.setDaemon(true);
        reader.start();
        try {
            await(m -> m.getOrDefault("clearance_entitlement_routers_connected", 0.0) >= 1, "a connected router");
            String family = "metrics" + Catalogue.unique();
            Catalogue.family(client, family, 1);
            StatusRuntimeException invalid = assertThrows(StatusRuntimeException.class,
                    () -> client.createModelFamily(CreateModelFamilyRequest.newBuilder().setFamilyId("").build()));
            assertEquals(Status.Code.INVALID_ARGUMENT, invalid.getStatus().getCode());
            long revision = client.getPolicySnapshot(GetPolicySnapshotRequest.getDefaultInstance())
                    .getSnapshot().getRevision();

            // The router applied the new revisions: lag recorded (once per router and revision at most).
            Map<String, Double> after = await(m -> m.getOrDefault(LAG_COUNT, 0.0) > before.getOrDefault(LAG_COUNT, 0.0)
                    && m.getOrDefault("clearance_entitlement_policy_revision", -1.0) == revision
                    && m.getOrDefault("clearance_entitlement_heartbeats_sent_total", 0.0)
                    > before.getOrDefault("clearance_entitlement_heartbeats_sent_total", 0.0), "lag, revision, heartbeats");
            assertEquals(1, delta(before, after, "clearance_entitlement_writes_total{code=\"OK\",rpc=\"CreateModelFamily\"}"));
            assertEquals(1, delta(before, after, "clearance_entitlement_writes_total{code=\"OK\",rpc=\"CreateModelVersion\"}"));
            assertEquals(1, delta(before, after,
                    "clearance_entitlement_writes_total{code=\"INVALID_ARGUMENT\",rpc=\"CreateModelFamily\"}"));
            // Reads are not writes.
            assertTrue(after.keySet().stream().noneMatch(k -> k.contains("rpc=\"GetPolicySnapshot\"")
                    || k.contains("rpc=\"AcknowledgePolicy\"")), after.keySet().toString());
            assertTrue(after.keySet().stream().anyMatch(k -> k.startsWith("clearance_entitlement_propagation_lag_seconds_bucket{")),
                    "no lag histogram buckets");
        } finally {
            watch.cancel(null);
        }
    }

    private static Map<String, Double> await(Predicate<Map<String, Double>> done, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Map<String, Double> last = Map.of();
        while (System.nanoTime() < deadline) {
            last = scrape();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not within 60 s: " + what + "; clearance series: "
                + last.entrySet().stream().filter(e -> e.getKey().startsWith("clearance_")).toList());
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String series) {
        Double now = after.get(series);
        if (now == null) {
            throw new AssertionError("no series " + series + " in " + after.keySet().stream()
                    .filter(k -> k.startsWith("clearance_entitlement_writes")).toList());
        }
        return now - before.getOrDefault(series, 0.0);
    }

    static Map<String, Double> scrape() throws Exception {
        return PrometheusText.scrape(18102);
    }
}
