package dev.clearance.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.util.JsonFormat;
import dev.clearance.entitlement.v1.DirectiveState;
import dev.clearance.entitlement.v1.ApproveDirectiveResponse;
import dev.clearance.entitlement.v1.GetPropagationStatusResponse;
import dev.clearance.entitlement.v1.ListDirectivesResponse;
import dev.clearance.router.v1.ExplainAccessResponse;
import dev.clearance.common.v1.Outcome;
import dev.clearance.common.v1.ReasonCode;
import dev.clearance.suite.Scenario;
import dev.clearance.suite.ScenarioLoader;
import dev.clearance.suite.Suite;
import dev.clearance.suite.SuiteConfig;
import dev.clearance.suite.SuitePorts;
import io.grpc.ManagedChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * clearancectl against the real system: embedded PostgreSQL, Keycloak with the shipped realm, the three services
 * as processes (the suite classes), the demo scenario loaded. The CLI runs in-process (picocli) with its own
 * session directory. Ports 25100-25102 gRPC, 24100-24102 HTTP, Keycloak 24180/25180 (below 32768, the
 * kernel's ephemeral range). Methods run in order:
 * log in, create a directive from a file, enforce it and wait for the routers, see the change through explain.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClearancectlAgainstRealSuiteTest {

    /** The realm's service account for scripts (demo secret, shipped realm only). */
    static final String CLIENT_ID = "clearance-automation";
    static final String CLIENT_SECRET = "clearance-automation-demo-secret";
    private static final String OFFICER = "officer";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Suite suite;
    private static ScenarioLoader.Result loaded;
    private static Path configHome;
    private static CliRunner cli;
    private static String apiKey;

    @BeforeAll
    static void startSuite() throws Exception {
        SuiteConfig e2e = SuiteConfig.forEndToEnd();
        String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        SuiteConfig config = new SuiteConfig(e2e.home(), SuitePorts.defaults().offsetBy(16000), "cli_identity_" + run,
                "cli_entitlement_" + run, e2e.home().resolve("cli/target/logs/suite"), e2e.databaseUrl(), true,
                // No decision history from this router: the preview's 24-hour line is "unknown" whenever the
                // test reaches it (with history, it would depend on whether the first batch was sent yet).
                // The numbers themselves are asserted in the suite's ScenarioEndToEndTest.
                Map.of(SuiteConfig.ROUTER, Map.of("clearance.router.history.enabled", "false")),
                e2e.keycloakJavaHome(), e2e.serviceJvmOptions());
        suite = Suite.start(config);
        ManagedChannel identity = ScenarioLoader.channel("localhost:" + suite.identity().grpcPort());
        ManagedChannel entitlement = ScenarioLoader.channel("localhost:" + suite.entitlement().grpcPort());
        try {
            var tokens = suite.keycloak().tokens();
            loaded = new ScenarioLoader(identity, entitlement, () -> tokens.accessToken(OFFICER), System.out)
                    .load(Scenario.load(Scenario.defaultFile()));
        } finally {
            identity.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            entitlement.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        apiKey = loaded.apiKeySecrets().get("meridian-batch-key");
        ensureServiceAccount(suite.keycloak().baseUrl());
        configHome = Files.createTempDirectory("clearancectl-test");
        cli = new CliRunner(configHome);
    }

    /**
     * The shipped realm gains the service account with the role checks (helper `roles`); until then the test adds
     * the same client through Keycloak's admin API (a 409 means it exists: the realm's, or a kept earlier run's).
     */
    static void ensureServiceAccount(String keycloak) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> admin = http.send(HttpRequest.newBuilder(
                        URI.create(keycloak + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=admin-cli&username=admin"
                        + "&password=admin")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, admin.statusCode(), admin.body());
        String token = JSON.readTree(admin.body()).get("access_token").asText();
        String client = """
                {"clientId": "%s", "secret": "%s", "publicClient": false, "serviceAccountsEnabled": true,
                 "standardFlowEnabled": false, "directAccessGrantsEnabled": false,
                 "protocolMappers": [{"name": "clearance-api audience", "protocol": "openid-connect",
                   "protocolMapper": "oidc-audience-mapper",
                   "config": {"included.client.audience": "clearance-api", "access.token.claim": "true"}}]}
                """.formatted(CLIENT_ID, CLIENT_SECRET);
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(
                        URI.create(keycloak + "/admin/realms/clearance/clients"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(client)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(created.statusCode() == 201 || created.statusCode() == 409, created.statusCode() + " " + created.body());
    }

    @AfterAll
    static void stopSuite() {
        if (suite != null) {
            suite.stop();
        }
    }

    private static Path write(String name, String text) throws IOException {
        Path file = configHome.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private static CliRunner.Result ok(String... args) {
        CliRunner.Result r = cli.run(args);
        assertEquals(ExitCodes.OK, r.code(), String.join(" ", args) + "\n" + r);
        return r;
    }

    @Test
    @Order(1)
    void loginWithClientCredentialsAgainstTheRealKeycloak() throws Exception {
        CliRunner.Result r = ok("login", "--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET,
                "--issuer", suite.keycloak().issuer(),
                "--router", "localhost:" + suite.router().grpcPort(),
                "--identity", "localhost:" + suite.identity().grpcPort(),
                "--entitlement", "localhost:" + suite.entitlement().grpcPort(), "-o", "json");
        JsonNode login = JSON.readTree(r.out());
        assertEquals("client_credentials", login.get("grant").asText());
        assertEquals("service-account-" + CLIENT_ID, login.get("actor").asText());
        Path session = configHome.resolve("clearance/session.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(session)));
        assertTrue(Files.readString(session).contains("\"accessToken\""));
    }

    @Test
    @Order(2)
    void beforeTheDirectiveTheBatchKeyReachesFable5() throws Exception {
        CliRunner.Result r = ok("explain", "fable-5", "--api-key", apiKey, "-o", "json");
        ExplainAccessResponse.Builder explained = ExplainAccessResponse.newBuilder();
        JsonFormat.parser().merge(r.out(), explained);
        assertEquals(Outcome.OUTCOME_ALLOW, explained.getDecision().getOutcome(), r.out());
    }

    @Test
    @Order(3)
    void createAndEnforceADirectiveFromAFileThenExplainShowsIt() throws Exception {
        Path file = write("directive.yaml", """
                # every later fable version, for anyone not verified as a US person
                id: cli-e2e
                issuer: Clearance CLI test
                citation: CLI-TEST 1.2.3
                effective_time: 2026-01-01T00:00:00Z
                scope: [{family: families/fable, from_version: fable-5}]
                subjects: {kind: FOREIGN_PERSONS}
                minimum_assurance: IAL2
                carve_outs: [licensed_persons]
                """);
        CliRunner.Result created = ok("directive", "create", "-f", file.toString());
        assertTrue(created.out().contains("directives/cli-e2e") && created.out().contains("DRAFT"), created.out());

        // Who it would hit before anyone enforces it (identity-service lists the population with the caller's
        // token): bogdan, a foreign person at provider, would lose fable-5 and keep fable-4.5; alice never.
        CliRunner.Result preview = ok("directive", "preview", "cli-e2e", "--page-size", "1000");
        assertTrue(preview.out().lines().anyMatch(l -> l.contains("persons/bogdan") && l.contains("fable-5")
                && l.contains("fable-4.5")), preview.out());
        assertTrue(!preview.out().contains("persons/alice"), preview.out());
        assertTrue(preview.out().contains("last 24 h: unknown"), preview.out());
        assertTrue(preview.out().contains("active API keys"), preview.out());

        // API keys by prefix, owner and state; the scenario's organisation key is active, and no secret is shown.
        CliRunner.Result keys = ok("apikey", "list", "-o", "json");
        assertTrue(keys.out().contains(loaded.apiKeyNames().get("meridian-batch-key"))
                && keys.out().contains("API_KEY_STATE_ACTIVE"), keys.out());
        assertTrue(!keys.out().contains(apiKey), "no secret: " + keys.out());

        // Two-person rule: the service account asks, a second compliance officer (a person) approves and waits.
        CliRunner.Result asked = ok("directive", "enforce", "cli-e2e", "--reason", "CLI test", "--wait", "30s");
        assertTrue(asked.out().contains("a second compliance officer approves it"), asked.out());
        CliRunner officer = new CliRunner(Files.createTempDirectory("clearancectl-officer"))
                .env(Context.PASSWORD_ENV, "clearance-demo");
        CliRunner.Result officerLogin = officer.run("login", "--username", OFFICER, "--issuer",
                suite.keycloak().issuer(), "--entitlement", "localhost:" + suite.entitlement().grpcPort());
        assertEquals(ExitCodes.OK, officerLogin.code(), officerLogin.toString());
        CliRunner.Result approved = officer.run("directive", "approve", "cli-e2e", "--reason", "second officer",
                "--wait", "30s", "-o", "json");
        assertEquals(ExitCodes.OK, approved.code(), approved.toString());
        ApproveDirectiveResponse.Builder response = ApproveDirectiveResponse.newBuilder();
        JsonFormat.parser().merge(approved.out(), response);
        assertEquals(DirectiveState.DIRECTIVE_STATE_ENFORCED, response.getDirective().getState());
        assertTrue(response.getPropagation().getComplete(), approved.out());
        assertTrue(response.getPropagation().getRoutersCount() >= 1, approved.out());

        // Every live router acknowledged the revision, so the very next decision applies it; polled anyway.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        CliRunner.Result explained;
        while (!(explained = ok("explain", "fable-5", "--api-key", apiKey)).out().contains("directives/cli-e2e")) {
            if (System.nanoTime() > until) {
                fail("explain never showed the directive:\n" + explained);
            }
            Thread.sleep(50);
        }
        assertTrue(explained.out().contains("outcome    ALLOW_FALLBACK"), explained.out());
        assertTrue(explained.out().contains("served     fable-4.5"), explained.out());
        assertTrue(explained.out().contains("DIRECTIVE fable-5 directives/cli-e2e [CLI-TEST 1.2.3]"), explained.out());

        // The same through a person's own token: bogdan (a foreign person) logs in on the demo realm.
        CliRunner bogdan = new CliRunner(Files.createTempDirectory("clearancectl-bogdan"))
                .env(Context.PASSWORD_ENV, "clearance-demo");
        CliRunner.Result login = bogdan.run("login", "--username", "bogdan", "--issuer", suite.keycloak().issuer(),
                "--router", "localhost:" + suite.router().grpcPort());
        assertEquals(ExitCodes.OK, login.code(), login.toString());
        CliRunner.Result asBogdan = bogdan.run("explain", "fable-5");
        assertEquals(ExitCodes.OK, asBogdan.code(), asBogdan.toString());
        assertTrue(asBogdan.out().contains("directives/cli-e2e") && asBogdan.out().contains("served     fable-4.5"),
                asBogdan.out());
    }

    @Test
    @Order(4)
    void statusAndListAsJsonParse() throws Exception {
        GetPropagationStatusResponse.Builder status = GetPropagationStatusResponse.newBuilder();
        JsonFormat.parser().merge(ok("directive", "status", "-o", "json").out(), status);
        assertTrue(status.getStatus().getRevision() > 0);
        assertTrue(status.getStatus().getRoutersCount() >= 1, status.toString());

        ListDirectivesResponse.Builder list = ListDirectivesResponse.newBuilder();
        JsonFormat.parser().merge(ok("directive", "list", "-o", "json").out(), list);
        assertTrue(list.getDirectivesList().stream().anyMatch(d -> d.getName().equals("directives/cli-e2e")
                && d.getState() == DirectiveState.DIRECTIVE_STATE_ENFORCED), list.toString());

        CliRunner.Result table = ok("directive", "status");
        assertTrue(table.out().contains("ROUTER") && table.out().contains("applied by every live router"), table.out());
    }

    @Test
    @Order(5)
    void aRefusedCallExitsWith1AndPrintsTheReasonAndTheFieldAtItsLine() throws Exception {
        Path file = write("bad-directive.yaml", """
                id: cli-e2e-bad
                citation: CLI-TEST
                scope: [{family: families/fable}]
                subjects:
                  kind: NATIONALS_OF
                  countries: [usa]
                """);
        CliRunner.Result r = cli.run("directive", "create", "-f", file.toString());
        assertEquals(ExitCodes.REFUSED, r.code(), r.toString());
        assertTrue(r.err().startsWith("error: INVALID_ARGUMENT"), r.toString());
        assertTrue(r.err().contains("  reason: "), r.toString());
        assertTrue(r.err().contains(file + ":6: directive.subjects.countries[0]: "), r.toString());
        assertTrue(!r.err().contains("\tat "), "no stack trace: " + r);

        CliRunner.Result missing = cli.run("directive", "enforce", "no-such-directive", "--reason", "x");
        assertEquals(ExitCodes.REFUSED, missing.code(), missing.toString());
        assertTrue(missing.err().startsWith("error: NOT_FOUND"), missing.toString());
        assertTrue(missing.err().contains("  reason: "), missing.toString());
    }

    @Test
    @Order(6)
    void checkAndPersonListReadTheLoadedScenario() throws Exception {
        CliRunner.Result check = ok("check", "bogdan", "fable-5");
        assertTrue(check.out().contains("outcome    ALLOW_FALLBACK") && check.out().contains("directives/cli-e2e"),
                check.out());
        CliRunner.Result persons = ok("person", "list");
        assertTrue(persons.out().contains("persons/alice") && persons.out().contains("US PERSON"), persons.out());
    }

    @Test
    @Order(7)
    void entitlementsAreListedShownAndAGrantDeleted() throws Exception {
        CliRunner.Result licences = ok("licence", "list");
        assertTrue(licences.out().startsWith("NAME") && licences.out().contains("BIS-D-2026-114233")
                && licences.out().contains("persons/hiro"), licences.out());
        String licence = licences.out().lines().filter(l -> l.contains("BIS-D-2026-114233")).findFirst()
                .orElseThrow().split("\\s+")[0];
        CliRunner.Result shown = ok("licence", "get", licence);
        assertTrue(shown.out().matches("(?s).*\\nreference +BIS-D-2026-114233\\n.*"), shown.out());

        CliRunner.Result tier = ok("tier", "get", "free", "-o", "json");
        assertTrue(JSON.readTree(tier.out()).at("/tier/modelPatterns").toString().equals("[\"lyric-*\",\"fable-4\"]"),
                tier.out());
        CliRunner.Result programmes = ok("programme", "list");
        assertTrue(programmes.out().contains("programmes/glasswing") && programmes.out().contains("mythos-5"),
                programmes.out());
        CliRunner.Result members = ok("programme", "members", "glasswing");
        assertTrue(members.out().contains("organisations/redwood") && members.out().contains("organisations/northlight")
                && !members.out().contains("organisations/agency"), members.out());
        assertTrue(ok("programme", "get", "staff").out().contains("mythos-*"));

        CliRunner.Result created = ok("grant", "create", "--grantee", "persons/dana", "--model", "lyric-*",
                "--reason", "CLI test", "-o", "json");
        JsonNode grant = JSON.readTree(created.out()).get("grant");
        String name = grant.get("name").asText();
        assertTrue(ok("grant", "list").out().contains(name), "listed");
        CliRunner.Result got = ok("grant", "get", name);
        assertTrue(got.out().matches("(?s).*\\ngrantee +persons/dana\\n.*"), got.out());
        CliRunner.Result stale = cli.run("grant", "delete", name, "--etag", "stale", "--reason", "CLI test");
        assertEquals(ExitCodes.REFUSED, stale.code(), stale.toString());
        assertTrue(stale.err().startsWith("error: ABORTED"), stale.toString());
        CliRunner.Result deleted = ok("grant", "delete", name, "--etag", grant.get("etag").asText(),
                "--reason", "CLI test");
        assertEquals("deleted " + name + "\n", deleted.out());
        CliRunner.Result gone = cli.run("grant", "get", name);
        assertEquals(ExitCodes.REFUSED, gone.code(), gone.toString());
        assertTrue(gone.err().startsWith("error: NOT_FOUND"), gone.toString());
    }

    @Test
    @Order(8)
    void suspendingTheDirectiveLiftsItOnTheRouter() throws Exception {
        CliRunner.Result noReason = cli.run("directive", "suspend", "cli-e2e");
        assertEquals(ExitCodes.USAGE, noReason.code(), noReason.toString());
        CliRunner.Result suspended = ok("directive", "suspend", "cli-e2e", "--reason", "CLI test: hold");
        assertTrue(suspended.out().contains("directives/cli-e2e is SUSPENDED"), suspended.out());
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        CliRunner.Result explained;
        while ((explained = ok("explain", "fable-5", "--api-key", apiKey)).out().contains("directives/cli-e2e")) {
            if (System.nanoTime() > until) {
                fail("the suspended directive still applies:\n" + explained);
            }
            Thread.sleep(50);
        }
        assertTrue(explained.out().lines().anyMatch(l -> l.strip().equals("outcome    ALLOW")), explained.out());
    }

    /**
     * A person logs in through the device flow: clearancectl prints Keycloak's verification URL and
     * waits; the officer opens it, signs in and grants access on Keycloak's own pages
     * ({@link KeycloakDeviceApproval}); the waiting login then holds the officer's tokens, and a
     * command runs as the officer. Its own session directory: the service-account session above stays.
     */
    @Test
    @Order(9)
    void aPersonLogsInThroughTheDeviceFlowApprovedOnKeycloaksPages() throws Exception {
        CliRunner person = new CliRunner(Files.createTempDirectory("clearancectl-device"))
                .sleeper(d -> Thread.sleep(d.toMillis()));
        StringWriter err = new StringWriter();
        ExecutorService waiting = Executors.newSingleThreadExecutor();
        try {
            Future<CliRunner.Result> login = waiting.submit(() -> person.run(err, "login", "--device",
                    "--issuer", suite.keycloak().issuer(),
                    "--router", "localhost:" + suite.router().grpcPort(),
                    "--identity", "localhost:" + suite.identity().grpcPort(),
                    "--entitlement", "localhost:" + suite.entitlement().grpcPort(), "-o", "json"));
            String verification = awaitVerificationUrl(err, login);
            assertTrue(verification.startsWith(suite.keycloak().issuer() + "/device"), verification);

            new KeycloakDeviceApproval().approve(verification, OFFICER, "clearance-demo");

            CliRunner.Result r = login.get(120, TimeUnit.SECONDS);
            assertEquals(ExitCodes.OK, r.code(), r.toString());
            JsonNode session = JSON.readTree(r.out());
            assertEquals("device", session.get("grant").asText(), r.out());
            assertEquals(OFFICER, session.get("actor").asText(), r.out());
            CliRunner.Result persons = person.run("person", "list");
            assertEquals(ExitCodes.OK, persons.code(), persons.toString());
            assertTrue(persons.out().contains("persons/alice"), persons.out());
        } finally {
            waiting.shutdownNow();
        }
    }

    /** The "(or open <url>)" line the waiting login prints; the bound only stops a broken test. */
    private static String awaitVerificationUrl(StringWriter err, Future<CliRunner.Result> login) throws Exception {
        Pattern line = Pattern.compile("\\(or open (\\S+)\\)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Matcher m = line.matcher(err.toString());
            if (m.find()) {
                return m.group(1);
            }
            if (login.isDone()) {
                fail("login ended before printing the verification URL: " + login.get());
            }
            Thread.sleep(100);
        }
        return fail("no verification URL printed; err so far:\n" + err);
    }

    @Test
    @Order(10)
    void aNewerCountryGroupTableIsLoadedFromAFileAndListedInForce() throws Exception {
        Path shipped = SuiteConfig.forEndToEnd().home()
                .resolve("entitlement-service/src/main/resources/reference/ear-country-groups.json");
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        Path file = write("country-groups.json", Files.readString(shipped)
                .replaceFirst("\"ecfr_issue_date\": \"[0-9-]+\"", "\"ecfr_issue_date\": \"" + today + "\""));
        CliRunner.Result loaded = ok("country-groups", "load", file.toString(), "--reason", "CLI test");
        assertTrue(loaded.out().startsWith("loaded countryGroupTables/" + today + " at policy revision ")
                && loaded.out().contains("in force now"), loaded.out());
        CliRunner.Result list = ok("country-groups", "list");
        assertTrue(list.out().contains("countryGroupTables/" + today) && list.out().contains("CLI test")
                && list.out().endsWith("in force: countryGroupTables/" + today + "\n"), list.out());

        CliRunner.Result again = cli.run("country-groups", "load", file.toString());
        assertEquals(ExitCodes.REFUSED, again.code(), again.toString());
        assertTrue(again.err().startsWith("error: ALREADY_EXISTS"), again.toString());
        Path bad = write("bad-groups.json", "{\"ecfr_issue_date\": \"2026-08-01\", \"groups\": {\"E:1\": [\"ZZ\"]},"
                + " \"comprehensive_embargoes\": {\"countries\": {\"CU\": \"746.2\"}}}");
        CliRunner.Result invalid = cli.run("country-groups", "load", bad.toString());
        assertEquals(ExitCodes.REFUSED, invalid.code(), invalid.toString());
        assertTrue(invalid.err().contains("document.groups[\"E:1\"][0]: ZZ is not an ISO 3166-1 alpha-2 country code"),
                invalid.toString());
    }
}
