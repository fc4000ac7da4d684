package dev.clearance.suite;

import dev.clearance.entitlement.v1.CheckRequest;
import dev.clearance.entitlement.v1.EntitlementServiceGrpc;
import dev.clearance.router.v1.GenerateResponse;
import io.grpc.ManagedChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * OpenTelemetry across processes: the three services as the README tells an operator to run them
 * with tracing on (SDK enabled, an OTLP endpoint), exporting to a collector stand-in in this test.
 * A router request is one trace: the router's server span carries the decision id, its client
 * span calls identity-service, and identity-service's server span is that client span's child;
 * entitlement-service's {@code Check} is one trace with identity-service the same way. No span
 * attribute carries a person's name, a credential or the prompt.
 *
 * <p>Ports: the defaults plus 10500 (gRPC 19600-19602, HTTP 18600-18602, Keycloak 18680 and
 * management 19680), below the kernel's ephemeral range and used by no other test.
 */
class TraceEndToEndTest {

    private static final Duration EXPORT_BOUND = Duration.ofSeconds(60);
    private static final String OFFICER = "officer";
    private static final String PROMPT = "a prompt that must never reach a span";

    private static OtlpTraceCollector collector;
    private static Suite suite;
    private static Scenario scenario;
    private static ManagedChannel identityChannel;
    private static ManagedChannel entitlementChannel;
    private static ManagedChannel routerChannel;
    private static TokenClient tokens;
    private static String organisationKeySecret;

    @BeforeAll
    static void startTracedSuite() throws Exception {
        collector = new OtlpTraceCollector();
        SuiteConfig e2e = SuiteConfig.forEndToEnd();
        String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        SuiteConfig config = new SuiteConfig(e2e.home(), SuitePorts.defaults().offsetBy(10500), "trace_identity_" + run,
                "trace_entitlement_" + run, e2e.home().resolve("suite/target/logs/trace"), e2e.databaseUrl(), true,
                Map.of(), e2e.keycloakJavaHome(), e2e.serviceJvmOptions());
        for (String service : List.of(SuiteConfig.IDENTITY, SuiteConfig.ENTITLEMENT, SuiteConfig.ROUTER)) {
            // What the README's "Observability" section says to set, plus a short batch delay for the test.
            config = config.withServiceProperty(service, "quarkus.otel.sdk.disabled", "false")
                    .withServiceProperty(service, "quarkus.otel.exporter.otlp.traces.protocol", "http/protobuf")
                    .withServiceProperty(service, "quarkus.otel.exporter.otlp.endpoint", collector.endpoint())
                    .withServiceProperty(service, "quarkus.otel.bsp.schedule.delay", "200ms");
        }
        suite = Suite.start(config);
        System.out.printf("suite started in %.1f s:%n%s", Suite.seconds(suite.startDuration()), suite.describe());
        identityChannel = ScenarioLoader.channel("localhost:" + suite.identity().grpcPort());
        entitlementChannel = ScenarioLoader.channel("localhost:" + suite.entitlement().grpcPort());
        routerChannel = ScenarioLoader.channel("localhost:" + suite.router().grpcPort());
        tokens = suite.keycloak().tokens();
        scenario = Scenario.load(Scenario.defaultFile());
        ScenarioLoader.Result loaded = new ScenarioLoader(identityChannel, entitlementChannel,
                () -> tokens.accessToken(OFFICER), System.out).load(scenario);
        organisationKeySecret = loaded.apiKeySecrets().get("meridian-batch-key");
    }

    @AfterAll
    static void stopSuite() throws InterruptedException {
        for (ManagedChannel c : new ManagedChannel[] {identityChannel, entitlementChannel, routerChannel}) {
            if (c != null) {
                c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        if (suite != null) {
            suite.stop();
        }
        if (collector != null) {
            collector.close();
        }
    }

    @Test
    void aRouterRequestIsOneTraceThroughIdentityServiceWithTheDecisionIdOnTheRoutersSpan() {
        // The organisation key has not been resolved by this router yet, so the request calls identity-service.
        RouterClient client = new RouterClient(routerChannel, CallerCredentials.apiKey(organisationKeySecret));
        GenerateResponse response = client.stub().generate(dev.clearance.router.v1.GenerateRequest.newBuilder()
                .setModel("lyric-3").setPrompt(PROMPT).build());
        String decisionId = response.getDecision().getDecisionId();
        assertFalse(decisionId.isEmpty());

        OtlpTraceCollector.Span routerSpan = await("the router's span with decision " + decisionId,
                s -> decisionId.equals(s.attributes().get("clearance.decision_id")));
        assertEquals(OtlpTraceCollector.Span.KIND_SERVER, routerSpan.kind(), routerSpan.toString());
        assertTrue(routerSpan.name().endsWith("/Generate"), routerSpan.name());
        assertEquals(response.getDecision().getOutcome().name().replace("OUTCOME_", ""),
                routerSpan.attributes().get("clearance.outcome"));
        assertEquals("lyric-3", routerSpan.attributes().get("clearance.requested_version"));

        String trace = routerSpan.traceId();
        OtlpTraceCollector.Span identityServer = await("identity-service's ResolveCaller in trace " + trace,
                s -> s.traceId().equals(trace) && s.kind() == OtlpTraceCollector.Span.KIND_SERVER
                        && s.name().endsWith("/ResolveCaller"));
        assertNotEquals(routerSpan.service(), identityServer.service(), "a span exported by the other process");
        OtlpTraceCollector.Span routerClient = spanById(identityServer.parentSpanId())
                .orElseGet(() -> fail("identity-service's span has no exported parent: " + identityServer));
        assertEquals(routerSpan.service(), routerClient.service(), "the parent is the router's client span");
        assertEquals(OtlpTraceCollector.Span.KIND_CLIENT, routerClient.kind());
        assertEquals(trace, routerClient.traceId());

        assertNoPersonalDataInSpans();
    }

    @Test
    void entitlementServicesCheckIsOneTraceWithIdentityService() {
        var entitlement = EntitlementServiceGrpc.newBlockingStub(entitlementChannel)
                .withInterceptors(CallerCredentials.admin(() -> tokens.accessToken(OFFICER)))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
        entitlement.check(CheckRequest.newBuilder().setSubject("persons/bogdan").setModel("fable-5").build());

        OtlpTraceCollector.Span check = await("entitlement-service's Check span",
                s -> s.kind() == OtlpTraceCollector.Span.KIND_SERVER && s.name().endsWith("/Check"));
        OtlpTraceCollector.Span identityServer = await("identity-service's ResolveCaller in the Check trace",
                s -> s.traceId().equals(check.traceId()) && s.kind() == OtlpTraceCollector.Span.KIND_SERVER
                        && s.name().endsWith("/ResolveCaller"));
        assertNotEquals(check.service(), identityServer.service());
        OtlpTraceCollector.Span client = spanById(identityServer.parentSpanId())
                .orElseGet(() -> fail("identity-service's span has no exported parent: " + identityServer));
        assertEquals(check.service(), client.service());
        assertEquals(OtlpTraceCollector.Span.KIND_CLIENT, client.kind());
    }

    /** Names, subjects, credentials and the prompt are personal or secret: none may be a span attribute. */
    private static void assertNoPersonalDataInSpans() {
        List<String> forbidden = new java.util.ArrayList<>(List.of(PROMPT, organisationKeySecret));
        scenario.people().values().forEach(p -> {
            forbidden.add(p.displayName());
            forbidden.add(p.subject());
        });
        for (OtlpTraceCollector.Span span : collector.spans()) {
            for (Map.Entry<String, String> attribute : span.attributes().entrySet()) {
                for (String value : forbidden) {
                    if (value != null && !value.isBlank() && attribute.getValue().contains(value)) {
                        fail(span.service() + " span " + span.name() + " attribute " + attribute.getKey()
                                + " carries personal or secret data");
                    }
                }
            }
        }
    }

    private static Optional<OtlpTraceCollector.Span> spanById(String spanId) {
        long deadline = System.nanoTime() + EXPORT_BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<OtlpTraceCollector.Span> found = collector.spans().stream()
                    .filter(s -> s.spanId().equals(spanId)).findFirst();
            if (found.isPresent()) {
                return found;
            }
            sleep();
        }
        return Optional.empty();
    }

    /** Polls the collector until a span matches; the bound only stops a broken test. */
    private static OtlpTraceCollector.Span await(String what, Predicate<OtlpTraceCollector.Span> match) {
        long deadline = System.nanoTime() + EXPORT_BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<OtlpTraceCollector.Span> found = collector.spans().stream().filter(match).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            sleep();
        }
        return fail("no span: " + what + "; exports unreadable: " + collector.problems() + "; spans seen: "
                + collector.spans().stream().map(s -> s.service() + " " + s.name()).distinct().toList());
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
