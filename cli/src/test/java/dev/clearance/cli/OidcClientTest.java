package dev.clearance.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OAuth flows against a scripted token endpoint (the real Keycloak is used by ClearancectlAgainstRealSuiteTest
 * for client credentials; the device flow needs a person approving in a browser, so its polling rules are tested
 * here): device flow with authorization_pending and slow_down, denial, expiry; refresh before a call.
 */
class OidcClientTest {

    private HttpServer server;
    private String issuer;
    /** Scripted answers of the token endpoint, consumed in order: status and JSON body. */
    private final Deque<Object[]> tokenAnswers = new ConcurrentLinkedDeque<>();
    private final List<Map<String, String>> tokenRequests = new ArrayList<>();

    @TempDir
    Path home;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        issuer = "http://localhost:" + server.getAddress().getPort() + "/realms/test";
        server.createContext("/realms/test/.well-known/openid-configuration", x -> answer(x, 200, """
                {"issuer": "%1$s", "token_endpoint": "%1$s/token", "device_authorization_endpoint": "%1$s/device"}
                """.formatted(issuer)));
        server.createContext("/realms/test/device", x -> answer(x, 200, """
                {"device_code": "dc-1", "user_code": "WXYZ-1234", "verification_uri": "%1$s/device-login",
                 "verification_uri_complete": "%1$s/device-login?user_code=WXYZ-1234", "expires_in": 60, "interval": 2}
                """.formatted(issuer)));
        server.createContext("/realms/test/token", x -> {
            synchronized (tokenRequests) {
                tokenRequests.add(form(x));
            }
            Object[] next = tokenAnswers.poll();
            answer(x, next == null ? 500 : (int) next[0], next == null ? "{}" : (String) next[1]);
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static Map<String, String> form(HttpExchange x) throws IOException {
        Map<String, String> form = new HashMap<>();
        for (String pair : new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
            String[] kv = pair.split("=", 2);
            form.put(kv[0], URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
        }
        return form;
    }

    private static void answer(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }

    private void script(int status, String body) {
        tokenAnswers.add(new Object[] {status, body});
    }

    @Test
    void theDeviceFlowPollsThroughPendingAndSlowDownUntilApproved() {
        script(400, "{\"error\": \"authorization_pending\"}");
        script(400, "{\"error\": \"slow_down\"}");
        script(400, "{\"error\": \"authorization_pending\"}");
        script(200, "{\"access_token\": \"" + ClearancectlTest.jwt("alice") + "\", \"expires_in\": 300,"
                + " \"refresh_token\": \"r-1\", \"refresh_expires_in\": 1800}");
        List<Duration> sleeps = new ArrayList<>();
        OidcClient realm = new OidcClient(issuer);
        OidcClient.DeviceAuthorization device = realm.startDevice("clearance-cli");
        assertEquals("WXYZ-1234", device.userCode());
        Tokens tokens = realm.pollDevice("clearance-cli", device, sleeps::add, null);
        assertEquals("r-1", tokens.refreshToken());
        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(7), Duration.ofSeconds(7)),
                sleeps, "slow_down adds 5 s to the interval");
        assertEquals(OidcClient.DEVICE_GRANT, tokenRequests.get(0).get("grant_type"));
        assertEquals("dc-1", tokenRequests.get(0).get("device_code"));
    }

    @Test
    void loginDeviceStoresTheTokensAndPrintsWhereToApprove() {
        script(400, "{\"error\": \"authorization_pending\"}");
        script(200, "{\"access_token\": \"" + ClearancectlTest.jwt("alice") + "\", \"expires_in\": 300,"
                + " \"refresh_token\": \"r-1\", \"refresh_expires_in\": 1800}");
        CliRunner cli = new CliRunner(home);
        CliRunner.Result r = cli.run("login", "--device", "--issuer", issuer);
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        assertTrue(r.err().contains("open " + issuer + "/device-login and enter the code WXYZ-1234"), r.toString());
        assertTrue(r.out().contains("as alice (device)"), r.toString());
        Session s = cli.store().load().orElseThrow();
        assertEquals("r-1", s.refreshToken());
        assertEquals("clearance-cli", s.clientId());
        assertEquals(issuer, s.targets().issuer());
    }

    @Test
    void aDeniedOrExpiredDeviceLoginExitsWith4() {
        script(400, "{\"error\": \"access_denied\"}");
        CliRunner.Result denied = new CliRunner(home).run("login", "--device", "--issuer", issuer);
        assertEquals(ExitCodes.NOT_LOGGED_IN, denied.code(), denied.toString());
        assertTrue(denied.err().contains("denied"), denied.toString());

        script(400, "{\"error\": \"expired_token\"}");
        CliRunner.Result expired = new CliRunner(home).run("login", "--device", "--issuer", issuer);
        assertEquals(ExitCodes.NOT_LOGGED_IN, expired.code(), expired.toString());
        assertTrue(expired.err().contains("expired"), expired.toString());
    }

    @Test
    void pollingStopsWhenTheCodeHasExpiredEvenIfTheServerKeepsSayingPending() {
        for (int i = 0; i < 40; i++) {
            script(400, "{\"error\": \"authorization_pending\"}");
        }
        OidcClient realm = new OidcClient(issuer);
        OidcClient.DeviceAuthorization device = realm.startDevice("clearance-cli");
        CliException e = assertThrows(CliException.class, () -> realm.pollDevice("clearance-cli", device, d -> { }, null));
        assertEquals(ExitCodes.NOT_LOGGED_IN, e.exitCode());
        assertEquals(30, tokenRequests.size(), "60 s at 2 s intervals");
    }

    @Test
    void anExpiringTokenIsRefreshedBeforeTheCallAndTheSessionUpdated() {
        CliRunner cli = new CliRunner(home);
        long now = Instant.now().getEpochSecond();
        cli.store().save(new Session(new Targets("localhost:1", "localhost:1", "localhost:1", issuer, false),
                "clearance-cli", "device", "old", now + 10, "r-1", now + 1000));
        script(200, "{\"access_token\": \"new\", \"expires_in\": 300, \"refresh_token\": \"r-2\"}");
        Context context = new Context(Map.of("XDG_CONFIG_HOME", home.toString()), null, null, cli.store(),
                java.time.Clock.systemUTC(), OidcClient::new, d -> { });
        assertEquals("new", context.accessToken());
        assertEquals("refresh_token", tokenRequests.get(0).get("grant_type"));
        assertEquals("r-1", tokenRequests.get(0).get("refresh_token"));
        Session s = cli.store().load().orElseThrow();
        assertEquals("r-2", s.refreshToken());
        assertTrue(s.expiresAt() >= now + 300);
    }

    @Test
    void aClientCredentialsSessionRenewsItselfFromTheEnvironment() {
        CliRunner cli = new CliRunner(home);
        long now = Instant.now().getEpochSecond();
        cli.store().save(new Session(new Targets("localhost:1", "localhost:1", "localhost:1", issuer, false),
                "automation", "client_credentials", "old", now - 1, null, 0));
        script(200, "{\"access_token\": \"fresh\", \"expires_in\": 300}");
        Context context = new Context(Map.of(Context.CLIENT_ID_ENV, "automation", Context.CLIENT_SECRET_ENV, "s3cret"),
                null, null, cli.store(), java.time.Clock.systemUTC(), OidcClient::new, d -> { });
        assertEquals("fresh", context.accessToken());
        assertEquals("client_credentials", tokenRequests.get(0).get("grant_type"));
        assertEquals("s3cret", tokenRequests.get(0).get("client_secret"));
    }

    @Test
    void aRefusedClientCredentialsLoginExitsWith4WithTheRealmsError() {
        script(401, "{\"error\": \"unauthorized_client\", \"error_description\": \"Invalid client secret\"}");
        CliRunner.Result r = new CliRunner(home).run("login", "--issuer", issuer, "--client-id", "a",
                "--client-secret", "wrong");
        assertEquals(ExitCodes.NOT_LOGGED_IN, r.code(), r.toString());
        assertEquals("error: the realm refused client a: unauthorized_client (Invalid client secret)\n", r.err());
    }
}
