package dev.clearance.router.telemetry;

import dev.clearance.router.TestSnapshots;
import dev.clearance.router.policy.CurrentPolicy;
import dev.clearance.router.policy.PolicyFreshness;
import dev.clearance.router.v1.GenerateRequest;
import dev.clearance.router.v1.GenerateResponse;
import dev.clearance.router.v1.ModelRouterServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Metrics, traces and decision logs of real decisions over real gRPC: identity-service is the
 * stand-in ({@link StandInIdentityService}, on the router's own port), the policy is the scenario
 * snapshot (fable-5 under a directive for foreign persons, fallback fable-4.5).
 */
@QuarkusTest
@TestProfile(StandInIdentityProfile.class)
class ObservabilityTest {

    private static final long REVISION = 7;
    /** Where {@link StandInIdentityProfile} has the router write its (JSON) log. */
    static final Path LOG_FILE = Path.of("target", "observability-test.log").toAbsolutePath();
    private static ManagedChannel channel;

    @Inject
    CurrentPolicy current;

    @Inject
    InMemorySpanExporter spans;

    @Inject
    PolicyFreshness freshness;

    @BeforeAll
    static void connect() {
        channel = ManagedChannelBuilder.forAddress("localhost", 19100).usePlaintext().build();
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @BeforeEach
    void policy() {
        current.offer(TestSnapshots.scenario(REVISION));
        freshness.heard(); // as if entitlement-service had just sent it
    }

    private static ModelRouterServiceGrpc.ModelRouterServiceBlockingStub router(String apiKey) {
        Metadata metadata = new Metadata();
        metadata.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), apiKey);
        return ModelRouterServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata))
                .withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private static GenerateResponse generate(String apiKey, String model, boolean forbidFallback) {
        return router(apiKey).generate(GenerateRequest.newBuilder().setModel(model).setPrompt("hello")
                .setForbidFallback(forbidFallback).build());
    }

    private static String uniqueKey(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "");
    }

    @Test
    void decisionsMoveTheCountersWithCatalogueLabelsOnly() throws Exception {
        String us = uniqueKey(StandInIdentityService.US_KEY_PREFIX);
        String foreign = uniqueKey(StandInIdentityService.FOREIGN_KEY_PREFIX);
        Map<String, Double> before = scrape();

        assertEquals("fable-5", generate(us, "fable-5", false).getServedModel());
        assertEquals("fable-5", generate(us, "fable-latest", false).getServedModel());
        assertEquals("fable-4.5", generate(foreign, "fable-5", false).getServedModel());
        StatusRuntimeException denied = assertThrows(StatusRuntimeException.class,
                () -> generate(foreign, "fable-5", true));
        assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode());
        StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class,
                () -> generate(us, "Secret-Project-Name", false));
        assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode());

        Map<String, Double> after = scrape();
        // Both of the US person's requests for fable-5 (one through the alias): counted under the version.
        assertEquals(2, delta(before, after, "clearance_router_decisions_total{family=\"fable\",outcome=\"ALLOW\","
                + "reason=\"ENTITLED\",requested=\"fable-5\",served=\"fable-5\"}"));
        assertEquals(1, delta(before, after, "clearance_router_decisions_total{family=\"fable\","
                + "outcome=\"ALLOW_FALLBACK\",reason=\"DIRECTIVE\",requested=\"fable-5\",served=\"fable-4.5\"}"));
        assertEquals(1, delta(before, after, "clearance_router_decisions_total{family=\"fable\",outcome=\"DENY\","
                + "reason=\"DIRECTIVE\",requested=\"fable-5\",served=\"none\"}"));
        assertEquals(1, delta(before, after,
                "clearance_router_fallbacks_total{family=\"fable\",requested=\"fable-5\",served=\"fable-4.5\"}"));
        assertEquals(1, delta(before, after, "clearance_router_refusals_total{reason=\"MODEL_NOT_FOUND\"}"));
        // An unknown name is never a label value.
        assertTrue(after.keySet().stream().noneMatch(k -> k.toLowerCase().contains("secret-project")), "raw name leaked");

        // Two credentials resolved once each; every later request of theirs came from the cache.
        assertEquals(2, delta(before, after, "clearance_router_identity_cache_misses_total"));
        assertEquals(3, delta(before, after, "clearance_router_identity_cache_hits_total"));
        assertTrue(after.get("clearance_router_identity_cache_size") >= 2, after.toString());

        // Three backend calls (the denial never reached a backend), with a latency histogram.
        assertEquals(2, delta(before, after,
                "clearance_router_backend_latency_seconds_count{call=\"generate\",model=\"fable-5\"}"));
        assertEquals(1, delta(before, after,
                "clearance_router_backend_latency_seconds_count{call=\"generate\",model=\"fable-4.5\"}"));
        assertTrue(after.keySet().stream().anyMatch(k -> k.startsWith("clearance_router_backend_latency_seconds_bucket{")
                && k.contains("model=\"fable-5\"")), "no histogram buckets");

        assertEquals(REVISION, after.get("clearance_router_policy_revision"));
        assertEquals(0.0, after.get("clearance_router_policy_stale"));
        double age = after.get("clearance_router_policy_snapshot_age_seconds");
        assertTrue(age >= 0 && age < 3600, "snapshot age " + age);
        assertEquals(0.0, after.get("clearance_router_streams_open"));
    }

    @Test
    void theDecisionIsOnTheRpcSpanAndTheIdentityCallIsItsChildOnTheWire() throws Exception {
        String us = uniqueKey(StandInIdentityService.US_KEY_PREFIX);
        spans.reset();

        String decisionId = generate(us, "fable-5", false).getDecision().getDecisionId();

        SpanData server = await(() -> spans.getFinishedSpanItems().stream()
                .filter(s -> s.getKind() == SpanKind.SERVER
                        && decisionId.equals(s.getAttributes().get(DecisionTelemetry.DECISION_ID)))
                .findFirst(), "server span with the decision id");
        assertTrue(server.getName().endsWith("ModelRouterService/Generate"), server.getName());
        assertEquals("ALLOW", server.getAttributes().get(DecisionTelemetry.OUTCOME));
        assertEquals(REVISION, server.getAttributes().get(DecisionTelemetry.POLICY_REVISION));
        // Ids, codes and revisions only.
        assertFalse(server.getAttributes().asMap().values().stream()
                .anyMatch(v -> String.valueOf(v).contains(StandInIdentityService.SUBJECT) || String.valueOf(v).contains(us)));

        SpanData client = await(() -> spans.getFinishedSpanItems().stream()
                .filter(s -> s.getKind() == SpanKind.CLIENT && s.getName().endsWith("IdentityService/ResolveCaller")
                        && s.getTraceId().equals(server.getTraceId()))
                .findFirst(), "ResolveCaller client span in the server span's trace");
        assertEquals(server.getSpanId(), client.getParentSpanId());

        // The identity side received the trace over the wire: its server span is the client span's child.
        SpanData identityServer = await(() -> spans.getFinishedSpanItems().stream()
                .filter(s -> s.getKind() == SpanKind.SERVER && s.getName().endsWith("IdentityService/ResolveCaller")
                        && s.getTraceId().equals(server.getTraceId()))
                .findFirst(), "ResolveCaller server span in the same trace");
        assertEquals(client.getSpanId(), identityServer.getParentSpanId());

        // The same caller again, now cached: decided at once on the calling thread, still on its RPC's span.
        String cachedId = generate(us, "fable-5", false).getDecision().getDecisionId();
        SpanData cachedServer = await(() -> spans.getFinishedSpanItems().stream()
                .filter(s -> s.getKind() == SpanKind.SERVER
                        && cachedId.equals(s.getAttributes().get(DecisionTelemetry.DECISION_ID)))
                .findFirst(), "server span of the cached caller's request with its decision id");
        assertEquals("ALLOW", cachedServer.getAttributes().get(DecisionTelemetry.OUTCOME));
        assertFalse(cachedServer.getTraceId().equals(server.getTraceId()), "its own trace");
        assertTrue(spans.getFinishedSpanItems().stream().noneMatch(s -> s.getKind() == SpanKind.CLIENT
                && s.getTraceId().equals(cachedServer.getTraceId())), "no identity-service call for a cached caller");
    }

    @Test
    void decisionLogLinesCarryTheDecisionIdAndNoPersonalData() throws Exception {
        String foreign = uniqueKey(StandInIdentityService.FOREIGN_KEY_PREFIX);
        String us = uniqueKey(StandInIdentityService.US_KEY_PREFIX);
        long from = Files.exists(LOG_FILE) ? Files.size(LOG_FILE) : 0;

        // A routine ALLOW first (logged at DEBUG only, so not in this INFO log), then a fallback.
        String routineId = generate(us, "fable-5", false).getDecision().getDecisionId();
        String decisionId = generate(foreign, "fable-5", false).getDecision().getDecisionId();

        String decisionLine = await(() -> newLines(from).stream()
                .filter(l -> l.contains("\"message\":\"decision " + decisionId)).findFirst(), "the decision log line");
        // Lines are written before each answer, in order: had the routine one been logged, it would be here.
        assertTrue(newLines(from).stream().noneMatch(l -> l.contains(routineId)), "routine ALLOW logged at INFO");
        // JSON, with the decision id as an MDC field (not only inside the message).
        assertTrue(decisionLine.startsWith("{") && decisionLine.contains("\"decision_id\":\"" + decisionId + "\""),
                decisionLine);
        assertTrue(decisionLine.contains("outcome=ALLOW_FALLBACK"), decisionLine);
        for (String line : newLines(from)) {
            assertFalse(line.contains(foreign) || line.contains(us), "credential logged: " + line);
            assertFalse(line.contains(StandInIdentityService.SUBJECT), "subject logged: " + line);
            assertFalse(line.contains("127.0.0.1"), "client address logged: " + line);
        }
    }

    private static List<String> newLines(long from) {
        try {
            byte[] all = Files.readAllBytes(LOG_FILE);
            int start = (int) Math.min(from, all.length);
            return List.of(new String(all, start, all.length - start, StandardCharsets.UTF_8).split("\n"));
        } catch (IOException e) {
            return List.of();
        }
    }

    private static <T> T await(Supplier<Optional<T>> probe, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Optional<T> found = probe.get();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not found within 30 s: " + what);
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String series) {
        Double now = after.get(series);
        if (now == null) {
            throw new AssertionError("no series " + series + " in " + after.keySet().stream()
                    .filter(k -> k.startsWith(series.split("\\{")[0])).toList());
        }
        return now - before.getOrDefault(series, 0.0);
    }

    /** /q/metrics as series (name plus labels, as printed) → value. */
    static Map<String, Double> scrape() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:18100/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        Map<String, Double> series = new HashMap<>();
        for (String line : response.body().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int exemplar = line.indexOf(" # ");   // "... value # {trace_id=...} 1.0" when tracing is on
            if (exemplar > 0) {
                line = line.substring(0, exemplar);
            }
            int space = line.lastIndexOf(' ');
            series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return series;
    }
}
