package dev.clearance.suite;

import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import dev.clearance.common.v1.Decision;
import dev.clearance.common.v1.Outcome;
import dev.clearance.common.v1.Reason;
import dev.clearance.common.v1.ReasonCode;
import dev.clearance.common.v1.UsPersonStatus;
import dev.clearance.entitlement.v1.CreateGrantRequest;
import dev.clearance.entitlement.v1.ApproveDirectiveRequest;
import dev.clearance.entitlement.v1.ApproveDirectiveResponse;
import dev.clearance.entitlement.v1.Directive;
import dev.clearance.entitlement.v1.DirectiveState;
import dev.clearance.entitlement.v1.GetDirectiveRequest;
import dev.clearance.entitlement.v1.Grant;
import dev.clearance.entitlement.v1.ListTiersRequest;
import dev.clearance.entitlement.v1.EnforceDirectiveRequest;
import dev.clearance.entitlement.v1.EnforceDirectiveResponse;
import dev.clearance.entitlement.v1.EntitlementServiceGrpc;
import dev.clearance.entitlement.v1.ImpactedCaller;
import dev.clearance.entitlement.v1.ModelImpact;
import dev.clearance.entitlement.v1.ImpactedCallerKind;
import dev.clearance.entitlement.v1.PreviewDirectiveImpactRequest;
import dev.clearance.entitlement.v1.PreviewDirectiveImpactResponse;
import dev.clearance.entitlement.v1.ListEntitlementsRequest;
import dev.clearance.entitlement.v1.ListEntitlementsResponse;
import dev.clearance.entitlement.v1.ModelEntitlement;
import dev.clearance.entitlement.v1.RevokeDirectiveRequest;
import dev.clearance.entitlement.v1.RevokeDirectiveResponse;
import dev.clearance.identity.v1.ApiKey;
import dev.clearance.identity.v1.CreateApiKeyRequest;
import dev.clearance.entitlement.v1.ShadowDirectiveRequest;
import dev.clearance.entitlement.v1.ShadowDirectiveResponse;
import dev.clearance.entitlement.v1.SuspendDirectiveRequest;
import dev.clearance.entitlement.v1.SuspendDirectiveResponse;
import dev.clearance.identity.v1.GetPersonRequest;
import dev.clearance.identity.v1.IdentityServiceGrpc;
import dev.clearance.identity.v1.Person;
import dev.clearance.router.v1.GenerateResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.function.Executable;

import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole system end to end: PostgreSQL, Keycloak and the three services as separate processes
 * on the e2e ports (2xxxx), the scenario loaded through the admin APIs, real Keycloak tokens and
 * the meridian organisation API key, every {@code expected} row of demo/scenario.yaml driven
 * through the router's Generate and ExplainAccess: before the directive, with it enforced, and
 * after it is revoked. Then bad credentials, bad model names, asserted nationality, and an
 * identity-service outage.
 *
 * <p>The methods run in order because each phase changes the one shared suite (starting it once
 * per class keeps the wall time down).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScenarioEndToEndTest {

    private static final Duration PROPAGATION_BOUND = Duration.ofSeconds(60);
    /** The demo realm's compliance officer (clearance-admin and clearance-compliance). */
    private static final String OFFICER = "officer";
    /** The second compliance officer of the two-person rule (own realm user, own token). */
    private static final String OFFICER2 = "officer2";

    private static Suite suite;
    private static Scenario scenario;
    private static ScenarioLoader.Result loaded;
    private static ManagedChannel identityChannel;
    private static ManagedChannel entitlementChannel;
    private static ManagedChannel routerChannel;
    private static TokenClient tokens;
    private static final Map<String, Supplier<String>> TOKENS = new HashMap<>();

    @BeforeAll
    static void startSuiteAndLoadScenario() {
        // The router sends its decision counts every second (default 10 s), so the preview sees them soon.
        suite = Suite.start(SuiteConfig.forEndToEnd()
                .withServiceProperty(SuiteConfig.ROUTER, "clearance.router.history.flush-interval", "1s"));
        System.out.printf("suite started in %.1f s:%n%s", Suite.seconds(suite.startDuration()), suite.describe());
        identityChannel = ScenarioLoader.channel("localhost:" + suite.identity().grpcPort());
        entitlementChannel = ScenarioLoader.channel("localhost:" + suite.entitlement().grpcPort());
        routerChannel = ScenarioLoader.channel("localhost:" + suite.router().grpcPort());
        tokens = suite.keycloak().tokens();
        scenario = Scenario.load(Scenario.defaultFile());
        loaded = new ScenarioLoader(identityChannel, entitlementChannel, token(OFFICER), System.out)
                .load(scenario);
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
    }

    // ---- loading -----------------------------------------------------------------------------

    @Test
    @Order(1)
    void theScenarioIsLoadedWithTheDirectiveInDraft() {
        assertEquals(DirectiveState.DIRECTIVE_STATE_DRAFT, loaded.directiveState());
        assertEquals("directives/" + scenario.directive().id(), loaded.directive());
        assertFalse(loaded.apiKeySecrets().getOrDefault("meridian-batch-key", "").isEmpty(),
                "the organisation API key's secret is returned once");
        assertTrue(loaded.created() > 0);
    }

    @Test
    @Order(2)
    void identityServiceDerivedEachPersonsStatusFromTheEvidence() {
        Map<String, UsPersonStatus> expected = new LinkedHashMap<>();
        expected.put("alice", UsPersonStatus.US_PERSON_STATUS_US_CITIZEN);
        expected.put("bogdan", UsPersonStatus.US_PERSON_STATUS_FOREIGN_PERSON);
        expected.put("chen", UsPersonStatus.US_PERSON_STATUS_LAWFUL_PERMANENT_RESIDENT);
        expected.put("dana", UsPersonStatus.US_PERSON_STATUS_US_CITIZEN);
        expected.put("emre", UsPersonStatus.US_PERSON_STATUS_FOREIGN_PERSON);
        expected.put("grace", UsPersonStatus.US_PERSON_STATUS_US_CITIZEN);
        expected.put("hiro", UsPersonStatus.US_PERSON_STATUS_FOREIGN_PERSON);
        var identity = IdentityServiceGrpc.newBlockingStub(identityChannel)
                .withInterceptors(CallerCredentials.admin(token(OFFICER)))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
        assertAll(expected.entrySet().stream().map(e -> () -> {
            Person p = identity.getPerson(GetPersonRequest.newBuilder().setName("persons/" + e.getKey()).build())
                    .getPerson();
            assertEquals(e.getValue(), p.getUsPersonStatus(), e.getKey());
            assertEquals(scenario.people().get(e.getKey()).subject(), p.getSubject(), e.getKey() + " subject");
        }));
    }

    // ---- roles, from real Keycloak tokens ------------------------------------------------------

    @Test
    @Order(3)
    void rolesFromKeycloakTokensDecideWhoMayDoWhat() {
        var asAdmin = entitlement(token("admin"));
        var asOfficer = entitlement(token(OFFICER));
        var asAuditor = entitlement(token("auditor"));
        String missing = "directives/no-such-directive";
        // a grant that starts in 2100 changes no decision of the scenario table
        CreateGrantRequest grant = CreateGrantRequest.newBuilder().setGrant(Grant.newBuilder()
                .setGrantee("persons/hiro").addModelPatterns("lyric-*").setReason("role test")
                .setStartTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(4_102_444_800L))).build();

        // admin: catalogue and grants, not directives
        assertFalse(asAdmin.createGrant(grant).getGrant().getName().isEmpty());
        assertRoleRequired(() -> asAdmin.enforceDirective(EnforceDirectiveRequest.newBuilder()
                .setName(loaded.directive()).setReason("admin tries").build()));
        assertRoleRequired(() -> asAdmin.enforceDirective(EnforceDirectiveRequest.newBuilder()
                .setName(missing).setReason("admin tries").build()));
        // the compliance officer may enforce (here: gets past the role check to NOT_FOUND)
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> asOfficer.enforceDirective(
                EnforceDirectiveRequest.newBuilder().setName(missing).setReason("officer").build())).getStatus().getCode());
        // the auditor reads everything and writes nothing
        assertEquals(DirectiveState.DIRECTIVE_STATE_DRAFT, asAuditor.getDirective(GetDirectiveRequest.newBuilder()
                .setName(loaded.directive()).build()).getDirective().getState());
        assertFalse(asAuditor.listTiers(ListTiersRequest.getDefaultInstance()).getTiersList().isEmpty());
        assertEquals("persons/bogdan", identity(token("auditor")).getPerson(GetPersonRequest.newBuilder()
                .setName("persons/bogdan").build()).getPerson().getName());
        assertRoleRequired(() -> asAuditor.createGrant(grant));
        assertRoleRequired(() -> asAuditor.enforceDirective(EnforceDirectiveRequest.newBuilder()
                .setName(loaded.directive()).setReason("auditor tries").build()));
        assertRoleRequired(() -> identity(token("auditor")).createApiKey(CreateApiKeyRequest.newBuilder()
                .setApiKey(ApiKey.newBuilder().setOwner("persons/bogdan").setDisplayName("x")).build()));
        // a caller's own login (no Clearance role) reads nothing
        assertRoleRequired(() -> entitlement(token("bogdan")).getDirective(GetDirectiveRequest.newBuilder()
                .setName(loaded.directive()).build()));
        // no token at all
        assertEquals(Status.Code.UNAUTHENTICATED, assertThrows(StatusRuntimeException.class,
                () -> EntitlementServiceGrpc.newBlockingStub(entitlementChannel).withDeadlineAfter(30, TimeUnit.SECONDS)
                        .listTiers(ListTiersRequest.getDefaultInstance())).getStatus().getCode());
        // the automation client's service account (client credentials) administers too
        Supplier<String> automation = () -> tokens.serviceAccountToken(TokenClient.AUTOMATION_CLIENT,
                TokenClient.AUTOMATION_DEMO_SECRET);
        assertFalse(entitlement(automation).listTiers(ListTiersRequest.getDefaultInstance()).getTiersList().isEmpty());
        assertEquals(DirectiveState.DIRECTIVE_STATE_DRAFT, entitlement(automation).getDirective(GetDirectiveRequest
                .newBuilder().setName(loaded.directive()).build()).getDirective().getState(), "nothing enforced it");
    }

    private static EntitlementServiceGrpc.EntitlementServiceBlockingStub entitlement(Supplier<String> token) {
        return EntitlementServiceGrpc.newBlockingStub(entitlementChannel).withInterceptors(CallerCredentials.admin(token))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private static IdentityServiceGrpc.IdentityServiceBlockingStub identity(Supplier<String> token) {
        return IdentityServiceGrpc.newBlockingStub(identityChannel).withInterceptors(CallerCredentials.admin(token))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private static void assertRoleRequired(Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode(), () -> e.getStatus().toString());
        assertEquals("ROLE_REQUIRED", dev.clearance.api.ApiError.errorInfo(e).orElseThrow().getReason());
    }

    // ---- the expected table, three times -----------------------------------------------------

    @TestFactory
    @Order(10)
    Stream<DynamicTest> beforeTheDirective() {
        return rows(Scenario.Expectation::withoutDirective);
    }

    /** The service records a Keycloak user as {@code username (subject)}. */
    private static void assertActor(String username, String actor) {
        assertTrue(actor.startsWith(username + " (") && actor.endsWith(")"), username + " recorded as " + actor);
    }

    private EntitlementServiceGrpc.EntitlementServiceBlockingStub compliance(String officer) {
        return EntitlementServiceGrpc.newBlockingStub(entitlementChannel)
                .withInterceptors(CallerCredentials.admin(token(officer)))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @Test
    @Order(15)
    void theDraftDirectiveIsPreviewedAgainstIdentityServicesPopulation() {
        PreviewDirectiveImpactResponse preview = compliance(OFFICER).previewDirectiveImpact(
                PreviewDirectiveImpactRequest.newBuilder().setName(loaded.directive()).setPageSize(1000).build());
        // The scenario's people are persons except its organisation API key (bound to no person).
        long persons = scenario.people().values().stream().filter(p -> !p.isOrganisationApiKey()).count();
        assertTrue(preview.getPersonsEvaluated() >= persons, "every scenario person was evaluated: " + persons);
        assertTrue(preview.getOrganisationsEvaluated() >= scenario.organisations().size());
        assertTrue(preview.getApiKeysEvaluated() >= loaded.apiKeyNames().size(), "every active key was evaluated");
        ModelImpact fable5 = preview.getModelsList().stream().filter(m -> m.getModel().equals("fable-5"))
                .findFirst().orElseThrow(() -> new AssertionError("fable-5 impact: " + preview.getModelsList()));
        assertTrue(fable5.getPersons() > 0);
        // From the scenario's table: each row the directive decides (reason DIRECTIVE, a fallback allowed) is
        // an impacted caller with that fallback; each ALLOW of a model in scope is not impacted.
        for (Scenario.Expectation row : scenario.expected()) {
            String model = canonical(row.model());
            boolean inScope = model.equals("fable-5") || model.equals("mythos-5");
            String caller = scenario.people().get(row.who()).isOrganisationApiKey()
                    ? "organisations/" + scenario.people().get(row.who()).org() : "persons/" + row.who();
            var hit = preview.getCallersList().stream()
                    .filter(c -> c.getModel().equals(model) && c.getCaller().equals(caller)).findFirst();
            if (inScope && "DIRECTIVE".equals(row.reason()) && row.served() != null) {
                assertEquals(row.served(), hit.orElseThrow(() -> new AssertionError(row + " is not in the preview: "
                        + preview.getCallersList())).getFallbackModel(), row.toString());
                if (scenario.people().get(row.who()).isOrganisationApiKey()) {
                    // The organisation's key itself is listed too, as the caller it is (status UNKNOWN).
                    String key = loaded.apiKeyNames().get(row.who());
                    var keyHit = preview.getCallersList().stream()
                            .filter(c -> c.getModel().equals(model) && c.getCaller().equals(key)).findFirst()
                            .orElseThrow(() -> new AssertionError(key + " is not in the preview: " + preview.getCallersList()));
                    assertEquals(ImpactedCallerKind.IMPACTED_CALLER_KIND_API_KEY, keyHit.getKind());
                    assertEquals(caller, keyHit.getApiKeyOwner());
                    assertEquals(row.served(), keyHit.getFallbackModel(), row.toString());
                }
            } else if (inScope && "ALLOW".equals(row.outcome())) {
                assertTrue(hit.isEmpty(), row + " would not be hit: " + hit);
            }
        }
        // Previewing changes nothing.
        assertEquals(Outcome.OUTCOME_ALLOW, router("bogdan").explain("fable-5", false).getOutcome());
    }

    /**
     * The decision history: the Generate calls of {@link #beforeTheDirective} (one per row of the table,
     * nothing else went through Generate yet) reach entitlement-service in the router's counts, and the
     * preview replays them: a row served without the directive and refused with it is denied, a row
     * served an older version with it is downgraded. Polled: the router sends its counts every second.
     */
    @Test
    @Order(14)
    void thePreviewCountsTheRequestsOfTheLast24HoursTheDirectiveWouldHaveDeniedOrDowngraded() throws Exception {
        long denied = 0;
        long downgraded = 0;
        for (Scenario.Expectation row : scenario.expected()) {
            String before = row.withoutDirective().servedModel();
            String after = row.servedModel();
            if (before == null) {
                continue;
            }
            if (after == null) {
                denied++;
            } else if (!canonical(after).equals(canonical(before))) {
                downgraded++;
            }
        }
        assertTrue(denied > 0 && downgraded > 0, "the scenario has both: " + denied + " denied, " + downgraded
                + " downgraded");
        PreviewDirectiveImpactRequest request = PreviewDirectiveImpactRequest.newBuilder().setName(loaded.directive())
                .setPageSize(1).build();
        long deadline = System.nanoTime() + PROPAGATION_BOUND.toNanos();
        PreviewDirectiveImpactResponse preview = compliance(OFFICER).previewDirectiveImpact(request);
        while (System.nanoTime() < deadline && !(preview.getRequestHistoryAvailable()
                && preview.getRequestsDeniedLast24H() == denied && preview.getRequestsDowngradedLast24H() == downgraded)) {
            Thread.sleep(500);
            preview = compliance(OFFICER).previewDirectiveImpact(request);
        }
        System.out.printf("preview of the last 24 h: %d denied, %d downgraded (%s)%n", preview.getRequestsDeniedLast24H(),
                preview.getRequestsDowngradedLast24H(), preview.getRequestHistoryNote());
        assertTrue(preview.getRequestHistoryAvailable(), preview.getRequestHistoryNote());
        assertEquals(denied, preview.getRequestsDeniedLast24H(), preview.getRequestHistoryNote());
        assertEquals(downgraded, preview.getRequestsDowngradedLast24H(), preview.getRequestHistoryNote());
        assertTrue(preview.getRequestHistoryNote().contains(": " + scenario.expected().size() + " replayed"),
                "every Generate of the table replayed: " + preview.getRequestHistoryNote());
    }

    @TestFactory
    @Order(16)
    Stream<DynamicTest> inShadowModeTheRouterStillServesAndRecordsWhatItWouldDeny() throws Exception {
        ShadowDirectiveResponse shadowed = compliance(OFFICER).shadowDirective(ShadowDirectiveRequest.newBuilder()
                .setName(loaded.directive()).setReason("end-to-end test: watch before enforcing").build());
        assertEquals(DirectiveState.DIRECTIVE_STATE_SHADOW, shadowed.getDirective().getState());
        RouterClient bogdan = router("bogdan");
        DecisionPoll.Result applied = DecisionPoll.until(() -> bogdan.explain("fable-5", false),
                d -> d.getShadowReasonsList().stream().anyMatch(r -> r.getDirective().equals(loaded.directive())),
                PROPAGATION_BOUND);
        assertEquals(Outcome.OUTCOME_ALLOW, applied.decision().getOutcome(), "shadow mode never changes the answer");
        assertEquals(ReasonCode.REASON_CODE_SHADOW_DIRECTIVE, applied.decision().getShadowReasonsList().get(0).getCode());
        // ... and counts it, per directive, in the router's metrics
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + suite.router().httpPort() + "/q/metrics"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(metrics.body().lines().anyMatch(l -> l.startsWith("clearance_router_shadow_denials_total{")
                        && l.contains("directive=\"" + loaded.directive() + "\"") && !l.endsWith(" 0.0")),
                "shadow denials counted for " + loaded.directive());
        // a person the directive does not cover has no shadow reason
        assertTrue(router("alice").explain("fable-5", false).getShadowReasonsList().isEmpty());
        return rows(Scenario.Expectation::withoutDirective);
    }

    @TestFactory
    @Order(20)
    Stream<DynamicTest> withTheDirectiveEnforced() {
        // Officer one asks; nothing changes for callers until officer two approves.
        EnforceDirectiveResponse requested = compliance(OFFICER).enforceDirective(EnforceDirectiveRequest.newBuilder()
                .setName(loaded.directive())
                .setReason("end-to-end test")
                .build());
        assertActor(OFFICER, requested.getDirective().getPendingEnforcement().getRequester());
        assertEquals(Outcome.OUTCOME_ALLOW, router("bogdan").explain("fable-5", false).getOutcome(),
                "a pending enforcement has no effect");
        assertEquals(Status.Code.FAILED_PRECONDITION, assertThrows(StatusRuntimeException.class,
                () -> compliance(OFFICER).approveDirective(ApproveDirectiveRequest.newBuilder()
                        .setName(loaded.directive()).build())).getStatus().getCode(), "no self-approval");
        ApproveDirectiveResponse enforced = compliance(OFFICER2).approveDirective(ApproveDirectiveRequest.newBuilder()
                .setName(loaded.directive())
                .setReason("second officer, end-to-end test")
                .build());
        assertEquals(DirectiveState.DIRECTIVE_STATE_ENFORCED, enforced.getDirective().getState());
        RouterClient bogdan = router("bogdan");
        DecisionPoll.Result applied = DecisionPoll.until(() -> bogdan.explain("fable-5", false),
                d -> d.getOutcome() != Outcome.OUTCOME_ALLOW, PROPAGATION_BOUND);
        System.out.printf("directive enforced at policy revision %d; first router decision applying it answered %d ms"
                        + " after EnforceDirective returned (ExplainAccess poll %d; decision revision %d)%n",
                enforced.getPolicyRevision(), applied.elapsed().toMillis(), applied.polls(),
                applied.decision().getPolicyRevision());
        assertTrue(applied.decision().getPolicyRevision() >= enforced.getPolicyRevision(),
                "the decision that applied the directive carries its revision or a later one");
        return rows(Function.identity());
    }

    @Test
    @Order(21)
    void otherSpellingsOfFable5ReachFable5AndDoNotBypassTheDirective() {
        List<String> spellings = List.of("FABLE-5", " fable-5 ", "\uFF46\uFF41\uFF42\uFF4C\uFF45\uFF0D\uFF15", "Fable-5\t");
        assertAll(spellings.stream().flatMap(name -> Stream.<Executable>of(
                () -> {
                    GenerateResponse r = router("bogdan").generate(name, false);
                    assertEquals("fable-5", r.getDecision().getRequestedModel().getVersion(), show(name));
                    assertEquals(Outcome.OUTCOME_ALLOW_FALLBACK, r.getDecision().getOutcome(), show(name));
                    assertEquals("fable-4.5", r.getServedModel(), show(name));
                    assertEquals(ReasonCode.REASON_CODE_DIRECTIVE, primary(r.getDecision()).getCode(), show(name));
                },
                () -> {
                    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                            () -> router("bogdan").generate(name, true), show(name));
                    assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode(), show(name));
                },
                () -> {
                    GenerateResponse r = router("alice").generate(name, false);
                    assertEquals(Outcome.OUTCOME_ALLOW, r.getDecision().getOutcome(), show(name));
                    assertEquals("fable-5", r.getServedModel(), show(name));
                })));
    }

    @Test
    @Order(22)
    void invisibleCharactersInAModelNameAreRejected() {
        for (String name : List.of("fable\u200b-5", "fable-5\u200d", "\u2060fable-5", "fable-\u00ad5")) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> router("bogdan").generate(name, false), show(name));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), show(name) + " " + StatusText.describe(e));
            assertModelFieldViolation(e);
        }
    }

    @Test
    @Order(23)
    void anEmptyModelIsInvalidAndAnUnknownOneIsNotFound() {
        StatusRuntimeException empty = assertThrows(StatusRuntimeException.class,
                () -> router("alice").generate("", false));
        assertEquals(Status.Code.INVALID_ARGUMENT, empty.getStatus().getCode(), StatusText.describe(empty));
        assertModelFieldViolation(empty);

        StatusRuntimeException blank = assertThrows(StatusRuntimeException.class,
                () -> router("alice").explain("   ", false));
        assertEquals(Status.Code.INVALID_ARGUMENT, blank.getStatus().getCode(), StatusText.describe(blank));

        for (String unknown : List.of("fable-9", "gpt-5", "fable-latest-2")) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> router("alice").generate(unknown, false));
            assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode(), unknown + ": " + StatusText.describe(e));
            assertEquals("MODEL_NOT_FOUND", onlyErrorInfo(e).getReason());
        }
    }

    @Test
    @Order(24)
    void assertedNationalityInMetadataChangesNothing() {
        Map<String, String> claims = Map.of(
                "x-nationality", "US",
                "x-us-person", "true",
                "x-citizenship", "US",
                "x-us-person-status", "US_CITIZEN",
                "x-forwarded-for", "8.8.8.8");
        RouterClient bogdan = new RouterClient(routerChannel,
                CallerCredentials.bearer(token("bogdan")).with(claims));
        GenerateResponse r = bogdan.generate("fable-5", false);
        assertEquals(Outcome.OUTCOME_ALLOW_FALLBACK, r.getDecision().getOutcome());
        assertEquals("fable-4.5", r.getServedModel());
        assertEquals(ReasonCode.REASON_CODE_DIRECTIVE, primary(r.getDecision()).getCode());
        assertEquals(Outcome.OUTCOME_DENY, bogdan.explain("fable-5", true).getOutcome());
    }

    @Test
    @Order(25)
    void callsWithoutAValidCredentialAreUnauthenticated() {
        String bogdan = token("bogdan").get();
        Map<String, CallerCredentials> bad = new LinkedHashMap<>();
        bad.put("no credential", null);
        bad.put("garbage bearer token", CallerCredentials.bearer("not-a-jwt"));
        bad.put("empty bearer token", CallerCredentials.headers(Map.of("authorization", "Bearer ")));
        bad.put("basic auth", CallerCredentials.headers(Map.of("authorization", "Basic YWxpY2U6Y2xlYXJhbmNlLWRlbW8=")));
        bad.put("token without the clearance-api audience", CallerCredentials.bearer(
                tokens.accessToken(TokenClient.OTHER_CLIENT, "bogdan", TokenClient.DEMO_PASSWORD)));
        bad.put("token of another realm", CallerCredentials.bearer(new TokenClient(suite.keycloak().baseUrl()
                + "/realms/master/protocol/openid-connect/token").accessToken("admin-cli", "admin", "admin")));
        bad.put("bogdan's token claiming alice's subject", CallerCredentials.bearer(
                withClaim(bogdan, "sub", scenario.people().get("alice").subject())));
        bad.put("bogdan's token with its signature removed", CallerCredentials.bearer(
                bogdan.substring(0, bogdan.lastIndexOf('.') + 1)));
        bad.put("unknown API key", CallerCredentials.apiKey("clk_unknown_0000000000000000000000000000"));
        assertAll(bad.entrySet().stream().map(e -> () -> {
            RouterClient client = new RouterClient(routerChannel, e.getValue());
            StatusRuntimeException generate = assertThrows(StatusRuntimeException.class,
                    () -> client.generate("lyric-3.5", false), e.getKey());
            assertEquals(Status.Code.UNAUTHENTICATED, generate.getStatus().getCode(),
                    e.getKey() + ": " + StatusText.describe(generate));
            onlyErrorInfo(generate);
            StatusRuntimeException explain = assertThrows(StatusRuntimeException.class,
                    () -> client.explain("fable-5", false), e.getKey());
            assertEquals(Status.Code.UNAUTHENTICATED, explain.getStatus().getCode(),
                    e.getKey() + ": " + StatusText.describe(explain));
        }));
    }

    @TestFactory
    @Order(27)
    Stream<DynamicTest> whileTheDirectiveIsSuspended() {
        SuspendDirectiveResponse suspended = compliance(OFFICER2).suspendDirective(SuspendDirectiveRequest.newBuilder()
                .setName(loaded.directive())
                .setReason("end-to-end test: BIS asked to hold")
                .build());
        assertEquals(DirectiveState.DIRECTIVE_STATE_SUSPENDED, suspended.getDirective().getState());
        RouterClient bogdan = router("bogdan");
        DecisionPoll.Result applied = DecisionPoll.until(() -> bogdan.explain("fable-5", false),
                d -> d.getOutcome() == Outcome.OUTCOME_ALLOW, PROPAGATION_BOUND);
        assertTrue(applied.decision().getPolicyRevision() >= suspended.getPolicyRevision());
        return rows(Scenario.Expectation::withoutDirective);
    }

    @TestFactory
    @Order(28)
    Stream<DynamicTest> emergencyReEnforcementBySingleOfficer() {
        EnforceDirectiveResponse enforced = compliance(OFFICER).enforceDirective(EnforceDirectiveRequest.newBuilder()
                .setName(loaded.directive())
                .setEmergency(true)
                .setReason("end-to-end test: hold lifted out of hours")
                .build());
        assertEquals(DirectiveState.DIRECTIVE_STATE_ENFORCED, enforced.getDirective().getState());
        assertActor(OFFICER, enforced.getDirective().getEmergency().getEnforcer());
        assertFalse(enforced.getDirective().getEmergency().getOverdue());
        RouterClient bogdan = router("bogdan");
        DecisionPoll.Result applied = DecisionPoll.until(() -> bogdan.explain("fable-5", false),
                d -> d.getOutcome() != Outcome.OUTCOME_ALLOW, PROPAGATION_BOUND);
        assertTrue(applied.decision().getPolicyRevision() >= enforced.getPolicyRevision());
        Directive confirmed = compliance(OFFICER2).approveDirective(ApproveDirectiveRequest.newBuilder()
                .setName(loaded.directive()).setReason("confirmed").build()).getDirective();
        assertActor(OFFICER2, confirmed.getEmergency().getConfirmer());
        return rows(Function.identity());
    }

    @TestFactory
    @Order(30)
    Stream<DynamicTest> afterTheDirectiveIsRevoked() {
        var compliance = compliance(OFFICER);
        RevokeDirectiveResponse revoked = compliance.revokeDirective(RevokeDirectiveRequest.newBuilder()
                .setName(loaded.directive())
                .setReason("end-to-end test")
                .build());
        assertEquals(DirectiveState.DIRECTIVE_STATE_REVOKED, revoked.getDirective().getState());
        RouterClient bogdan = router("bogdan");
        DecisionPoll.Result applied = DecisionPoll.until(() -> bogdan.explain("fable-5", false),
                d -> d.getOutcome() == Outcome.OUTCOME_ALLOW, PROPAGATION_BOUND);
        System.out.printf("directive revoked at policy revision %d; first router decision applying it %d ms later%n",
                revoked.getPolicyRevision(), applied.elapsed().toMillis());
        return rows(Scenario.Expectation::withoutDirective);
    }

    // ---- what each caller may use, and through what ---------------------------------------------

    @Test
    @Order(26)
    void listEntitlementsAgreesWithCheckAndNamesTheSources() {
        var auditor = entitlement(token("auditor"));
        // The same evaluator: for every person and version, allowed exactly when Check (no fallback) allows.
        for (var person : scenario.persons().entrySet()) {
            if (person.getValue().isOrganisationApiKey()) {
                continue;
            }
            String subject = "persons/" + person.getKey();
            ListEntitlementsResponse listed = auditor.listEntitlements(ListEntitlementsRequest.newBuilder()
                    .setSubject(subject).build());
            assertFalse(listed.getModelsList().isEmpty(), subject);
            for (ModelEntitlement m : listed.getModelsList()) {
                Decision checked = auditor.check(dev.clearance.entitlement.v1.CheckRequest.newBuilder()
                        .setSubject(subject).setModel(m.getModel()).setForbidFallback(true).build()).getDecision();
                assertEquals(checked.getOutcome() == Outcome.OUTCOME_ALLOW, m.getAllowed(), subject + " " + m.getModel());
                assertEquals(checked.getReasons(0).getCode(), m.getReasons(0).getCode(), subject + " " + m.getModel());
            }
        }
        // bogdan (a foreign person at the provider): fable-5 is his through the tier and the staff
        // programme, and the enforced directive takes it away, naming its citation.
        ModelEntitlement bogdanFable5 = model(auditor, "persons/bogdan", "fable-5");
        assertFalse(bogdanFable5.getAllowed());
        assertEquals(ReasonCode.REASON_CODE_DIRECTIVE, bogdanFable5.getReasons(0).getCode());
        assertEquals(loaded.directive(), bogdanFable5.getReasons(0).getDirective());
        assertFalse(bogdanFable5.getReasons(0).getCitation().isEmpty());
        assertEquals("fable-4.5", bogdanFable5.getFallbackModel());
        assertEquals(List.of("programmes/staff@organisations/provider", "tiers/enterprise@organisations/provider"),
                bogdanFable5.getSourcesList().stream().map(s -> s.getResource() + "@" + s.getHolder()).sorted().toList());
        // hiro: his licence entitles him and carves him out.
        ModelEntitlement hiroFable5 = model(auditor, "persons/hiro", "fable-5");
        assertTrue(hiroFable5.getAllowed(), hiroFable5.toString());
        assertTrue(hiroFable5.getReasonsList().stream().anyMatch(r -> r.getCode() == ReasonCode.REASON_CODE_CARVE_OUT),
                hiroFable5.toString());
        assertTrue(hiroFable5.getSourcesList().stream().anyMatch(s -> s.getResource().startsWith("licences/")
                && s.getHolder().equals("persons/hiro")), hiroFable5.toString());
    }

    private static ModelEntitlement model(EntitlementServiceGrpc.EntitlementServiceBlockingStub stub, String subject,
                                          String model) {
        return stub.listEntitlements(ListEntitlementsRequest.newBuilder().setSubject(subject).build()).getModelsList()
                .stream().filter(m -> m.getModel().equals(model)).findFirst().orElseThrow();
    }

    // ---- faults --------------------------------------------------------------------------------

    @Test
    @Order(40)
    void withIdentityServiceDownTheRouterRefusesWithUnavailableAndNeverAllows() {
        suite.identity().stop();
        assertFalse(suite.identity().isRunning());
        // A token the router has never seen, so no cached identity can answer for it.
        RouterClient alice = new RouterClient(routerChannel, CallerCredentials.bearer(tokens.accessToken("alice")));
        StatusRuntimeException generate = assertThrows(StatusRuntimeException.class,
                () -> alice.generate("fable-5", false));
        assertEquals(Status.Code.UNAVAILABLE, generate.getStatus().getCode(), StatusText.describe(generate));
        assertEquals("IDENTITY_UNAVAILABLE", onlyErrorInfo(generate).getReason());
        StatusRuntimeException explain = assertThrows(StatusRuntimeException.class,
                () -> alice.explain("fable-5", false));
        assertEquals(Status.Code.UNAVAILABLE, explain.getStatus().getCode(), StatusText.describe(explain));
    }

    // ---- checks --------------------------------------------------------------------------------

    private static Stream<DynamicTest> rows(Function<Scenario.Expectation, Scenario.Expectation> phase) {
        return scenario.expected().stream()
                .map(phase)
                .map(row -> DynamicTest.dynamicTest(row.toString(), () -> check(row)));
    }

    /** One row through Generate and ExplainAccess: outcome, requested and served model, primary reason. */
    private static void check(Scenario.Expectation row) {
        RouterClient client = router(row.who());
        boolean forbid = row.fallbackForbidden();
        Decision decision;
        if ("DENY".equals(row.outcome())) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> client.generate(row.model(), forbid));
            assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode(), StatusText.describe(e));
            assertEquals("ACCESS_DENIED", onlyErrorInfo(e).getReason());
            decision = client.explain(row.model(), forbid);
            assertEquals("", decision.getServedModel());
        } else {
            String served = canonical(row.servedModel());
            GenerateResponse response = client.generate(row.model(), forbid);
            decision = response.getDecision();
            assertEquals(served, response.getServedModel(), "served model");
            assertEquals(served, decision.getServedModel(), "decision's served model");
            assertTrue(response.getOutput().contains(served),
                    "the backend says which model served: " + response.getOutput());
            Decision explained = client.explain(row.model(), forbid);
            assertEquals(decision.getOutcome(), explained.getOutcome(), "ExplainAccess agrees with Generate");
            assertEquals(decision.getServedModel(), explained.getServedModel(), "ExplainAccess agrees with Generate");
        }
        assertEquals(Outcome.valueOf("OUTCOME_" + row.outcome()), decision.getOutcome(), () -> describe(decision));
        assertEquals(canonical(row.model()), decision.getRequestedModel().getVersion(), "requested version");
        assertNotEquals("", decision.getDecisionId(), "every decision has an id");
        assertTrue(decision.getPolicyRevision() > 0, "every decision names its policy revision");
        Reason primary = primary(decision);
        if (row.reason() == null) {
            assertEquals(ReasonCode.REASON_CODE_ENTITLED, primary.getCode(), () -> describe(decision));
        } else {
            assertEquals(ReasonCode.valueOf("REASON_CODE_" + row.reason()), primary.getCode(), () -> describe(decision));
            assertEquals(canonical(row.model()), primary.getModel(), "the primary reason is about the requested model");
        }
        if ("DIRECTIVE".equals(row.reason())) {
            assertEquals(loaded.directive(), primary.getDirective());
            assertEquals(scenario.directive().citation(), primary.getCitation());
        }
    }

    private static Reason primary(Decision d) {
        assertFalse(d.getReasonsList().isEmpty(), () -> "a decision without reasons: " + describe(d));
        return d.getReasons(0);
    }

    private static String canonical(String model) {
        for (Scenario.Family f : scenario.catalogue().families()) {
            if (f.aliases().containsKey(model)) {
                return f.aliases().get(model);
            }
        }
        return model;
    }

    private static ErrorInfo onlyErrorInfo(StatusRuntimeException e) {
        List<ErrorInfo> infos = StatusText.errorInfos(e);
        assertEquals(1, infos.size(), () -> "exactly one ErrorInfo: " + StatusText.describe(e));
        return infos.get(0);
    }

    private static void assertModelFieldViolation(StatusRuntimeException e) {
        List<BadRequest.FieldViolation> violations = StatusText.fieldViolations(e);
        assertTrue(violations.stream().anyMatch(v -> v.getField().equals("model")),
                () -> "a field violation for model: " + StatusText.describe(e));
        assertEquals("FIELD_INVALID", onlyErrorInfo(e).getReason());
    }

    private static String describe(Decision d) {
        return RouterClient.outcome(d) + " served " + d.getServedModel() + " reasons " + RouterClient.reasons(d);
    }

    private static String show(String name) {
        StringBuilder b = new StringBuilder("model name \"");
        name.codePoints().forEach(c -> b.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : Character.toString(c)));
        return b.append('"').toString();
    }

    /** The caller of a row: a person's Keycloak token, or an organisation API key. */
    private static RouterClient router(String who) {
        String secret = loaded.apiKeySecrets().get(who);
        return new RouterClient(routerChannel, secret != null ? CallerCredentials.apiKey(secret)
                : CallerCredentials.bearer(token(who)));
    }

    /** A demo user's token, fetched again well before Keycloak's 300 s lifespan runs out. */
    private static synchronized Supplier<String> token(String username) {
        return TOKENS.computeIfAbsent(username, u -> new Supplier<>() {
            private String token;
            private long fetched;

            @Override
            public synchronized String get() {
                if (token == null || System.nanoTime() - fetched > TimeUnit.SECONDS.toNanos(200)) {
                    token = tokens.accessToken(u);
                    fetched = System.nanoTime();
                }
                return token;
            }
        });
    }

    /** The same JWT with one claim replaced and the original signature kept: a forgery. */
    private static String withClaim(String jwt, String claim, String value) {
        String[] parts = jwt.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String forged = payload.replaceFirst("\"" + claim + "\":\"[^\"]*\"", "\"" + claim + "\":\"" + value + "\"");
        assertNotEquals(payload, forged, "the claim was replaced");
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(forged.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
    }
}
