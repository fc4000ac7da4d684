package dev.clearance.sdk;

import dev.clearance.entitlement.v1.DirectiveState;
import dev.clearance.entitlement.v1.EnforceDirectiveRequest;
import dev.clearance.entitlement.v1.EntitlementServiceGrpc;
import dev.clearance.suite.CallerCredentials;
import dev.clearance.suite.Scenario;
import dev.clearance.suite.ScenarioLoader;
import dev.clearance.suite.Suite;
import dev.clearance.suite.SuiteConfig;
import dev.clearance.suite.SuitePorts;
import dev.clearance.suite.TokenClient;
import io.grpc.ManagedChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The SDK against the real system: embedded PostgreSQL, Keycloak (the scenario loader's admin token needs it),
 * identity-service, entitlement-service and model-router as separate processes (the suite classes), the demo
 * scenario loaded through the admin APIs. Calls go through the SDK with the meridian organisation API key
 * (and, for the bearer path, a demo user's Keycloak token). Ports 23100-23102 / 22100-22102, Keycloak
 * 22180/23180 (below 32768: fixed ports inside the kernel's ephemeral range can be taken by any socket). Methods run in order: the directive is enforced half-way.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClearanceAgainstRealRouterTest {

    private static final String OFFICER = "officer";

    private static Suite suite;
    private static Scenario scenario;
    private static ScenarioLoader.Result loaded;
    private static ManagedChannel identityChannel;
    private static ManagedChannel entitlementChannel;
    private static TokenClient tokens;
    private static Clearance meridian;
    private static String target;

    @BeforeAll
    static void startSuite() {
        SuiteConfig e2e = SuiteConfig.forEndToEnd();
        String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        SuiteConfig config = new SuiteConfig(e2e.home(), SuitePorts.defaults().offsetBy(14000), "sdk_identity_" + run,
                "sdk_entitlement_" + run, e2e.home().resolve("client-sdk/target/logs/suite"), e2e.databaseUrl(), true,
                Map.of(), e2e.keycloakJavaHome(), e2e.serviceJvmOptions());
        suite = Suite.start(config);
        System.out.printf("suite started in %.1f s:%n%s", suite.startDuration().toMillis() / 1000.0, suite.describe());
        identityChannel = ScenarioLoader.channel("localhost:" + suite.identity().grpcPort());
        entitlementChannel = ScenarioLoader.channel("localhost:" + suite.entitlement().grpcPort());
        tokens = suite.keycloak().tokens();
        scenario = Scenario.load(Scenario.defaultFile());
        loaded = new ScenarioLoader(identityChannel, entitlementChannel, () -> tokens.accessToken(OFFICER),
                System.out).load(scenario);
        target = "localhost:" + suite.router().grpcPort();
        meridian = Clearance.builder().target(target).plaintext()
                .apiKey(loaded.apiKeySecrets().get("meridian-batch-key"))
                .deadline(Duration.ofSeconds(20)).retry(3, Duration.ofMillis(100))
                .build();
    }

    @AfterAll
    static void stopSuite() throws InterruptedException {
        if (meridian != null) {
            meridian.close();
        }
        for (ManagedChannel c : new ManagedChannel[] {identityChannel, entitlementChannel}) {
            if (c != null) {
                c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        if (suite != null) {
            suite.stop();
        }
    }

    // ---- before the directive ----------------------------------------------------------------

    @Test
    @Order(1)
    void generateFable5IsAllowedBeforeTheDirective() {
        Generation g = meridian.generate("fable-5", "hello");
        AccessDecision d = g.decision();
        assertEquals(Outcome.ALLOW, d.outcome());
        assertFalse(d.fellBack());
        assertEquals("fable-5", d.requestedModel());
        assertEquals("fable-5", d.servedModel());
        assertEquals("fable-5", g.servedModel());
        assertTrue(g.output().contains("hello"), g.output());
        assertFalse(d.decisionId().isEmpty());
        assertTrue(d.policyRevision() > 0);
        assertFalse(d.reasons().isEmpty(), "an allow says through what");
    }

    @Test
    @Order(2)
    void listModelsShowsTheCatalogue() {
        ModelList models = meridian.listModels();
        assertTrue(models.policyRevision() > 0);
        ModelAccessInfo fable5 = models.find("fable-5").orElseThrow();
        assertTrue(fable5.allowed());
        assertEquals("fable", fable5.family());
        assertTrue(models.find("fable-4.5").isPresent());
    }

    @Test
    @Order(3)
    void aBearerTokenFromKeycloakWorksThroughATokenProvider() {
        try (Clearance alice = Clearance.builder().target(target).plaintext()
                .tokenProvider(() -> tokens.accessToken("alice")).build()) {
            assertEquals(Outcome.ALLOW, alice.explainAccess("fable-5").outcome());
        }
    }

    // ---- the directive enforced --------------------------------------------------------------

    @Test
    @Order(10)
    void withTheDirectiveEnforcedFable5FallsBackToFable45WithTheDirectiveAndItsCitation() throws Exception {
        var compliance = EntitlementServiceGrpc.newBlockingStub(entitlementChannel)
                .withInterceptors(CallerCredentials.admin(() -> tokens.accessToken(OFFICER)))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
        var enforced = compliance.enforceDirective(EnforceDirectiveRequest.newBuilder()
                .setName(loaded.directive()).setReason("client-sdk test").setEmergency(true).build());
        assertEquals(DirectiveState.DIRECTIVE_STATE_ENFORCED, enforced.getDirective().getState());
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (meridian.explainAccess("fable-5").outcome() == Outcome.ALLOW) {
            if (System.nanoTime() > until) {
                fail("the directive did not reach the router within 60 s");
            }
            Thread.sleep(20);
        }

        Generation g = meridian.generate("fable-5", "hello");
        AccessDecision d = g.decision();
        assertEquals(Outcome.ALLOW_FALLBACK, d.outcome());
        assertTrue(d.fellBack());
        assertEquals("fable-5", d.requestedModel());
        assertEquals("fable-4.5", d.servedModel());
        assertEquals("fable-4.5", g.servedModel());
        assertTrue(d.policyRevision() >= enforced.getPolicyRevision());
        Reason first = d.primaryReason().orElseThrow();
        assertEquals(ReasonCode.DIRECTIVE, first.code());
        assertEquals(loaded.directive(), first.directive());
        assertEquals(scenario.directive().citation(), first.citation());
        assertEquals("fable-5", first.model());
    }

    @Test
    @Order(11)
    void forbiddingFallbackIsAnAccessDeniedNamingTheDirective() {
        AccessDeniedException e = assertThrows(AccessDeniedException.class,
                () -> meridian.generate(GenerateRequest.of("fable-5", "hello").withoutFallback()));
        assertEquals("ACCESS_DENIED", e.reason());
        assertEquals(io.grpc.Status.Code.PERMISSION_DENIED, e.grpcCode());
        assertEquals(ReasonCode.DIRECTIVE, e.reasonCode());
        assertEquals(loaded.directive(), e.directive().orElseThrow());
        assertEquals(scenario.directive().citation(), e.citation().orElseThrow());
        assertFalse(e.decisionId().orElseThrow().isEmpty());
    }

    @Test
    @Order(12)
    void explainAccessWithoutFallbackIsADenyAnswerNotAnError() {
        AccessDecision d = meridian.explainAccess("fable-5", true);
        assertEquals(Outcome.DENY, d.outcome());
        assertFalse(d.allowed());
        assertEquals(ReasonCode.DIRECTIVE, d.primaryReason().orElseThrow().code());
    }

    @Test
    @Order(13)
    void theFirstStreamEventIsTheDecision() {
        List<StreamEvent> events = new ArrayList<>();
        try (GenerationStream stream = meridian.streamGenerate("fable-5", "hello stream")) {
            stream.forEachRemaining(events::add);
        }
        assertTrue(events.size() >= 2, "decision and text: " + events);
        StreamEvent.Decision first = assertInstanceOf(StreamEvent.Decision.class, events.get(0));
        assertEquals(Outcome.ALLOW_FALLBACK, first.decision().outcome());
        assertEquals("fable-4.5", first.decision().servedModel());
        StringBuilder text = new StringBuilder();
        for (StreamEvent e : events.subList(1, events.size())) {
            text.append(assertInstanceOf(StreamEvent.Text.class, e).text());
        }
        assertTrue(text.toString().contains("hello stream"), text.toString());
    }

    @Test
    @Order(14)
    void aStreamWithFallbackForbiddenIsRefusedBeforeAnyEvent() {
        AccessDeniedException e = assertThrows(AccessDeniedException.class,
                () -> meridian.streamGenerate(GenerateRequest.of("fable-5", "x").withoutFallback()).close());
        assertEquals(loaded.directive(), e.directive().orElseThrow());
    }

    @Test
    @Order(15)
    void listModelsShowsFable5RefusedWithItsFallback() {
        ModelAccessInfo fable5 = meridian.listModels().find("fable-5").orElseThrow();
        assertFalse(fable5.allowed());
        assertEquals("fable-4.5", fable5.fallback().orElseThrow());
        assertEquals(ReasonCode.DIRECTIVE, fable5.reasons().get(0).code());
    }

    // ---- bad input ---------------------------------------------------------------------------

    @Test
    @Order(20)
    void anUnknownModelIsModelNotFound() {
        ModelNotFoundException e = assertThrows(ModelNotFoundException.class,
                () -> meridian.generate("no-such-model-9", "hello"));
        assertEquals("MODEL_NOT_FOUND", e.reason());
    }

    @Test
    @Order(21)
    void anEmptyModelIsAnInvalidRequestWithAModelViolation() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> meridian.generate("", "hello"));
        assertTrue(e.violations().stream().anyMatch(v -> v.field().equals("model")), e.violations().toString());
    }

    @Test
    @Order(22)
    void aBadKeyIsUnauthenticated() {
        try (Clearance bad = Clearance.builder().target(target).plaintext().apiKey("clk_not-a-real-key")
                .retry(5, Duration.ofMillis(50)).build()) {
            UnauthenticatedException e = assertThrows(UnauthenticatedException.class,
                    () -> bad.generate("fable-5", "hello"));
            assertFalse(e.reason().isEmpty());
        }
    }
}
