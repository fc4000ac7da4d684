package dev.clearance.identity.metrics;

import dev.clearance.testing.PrometheusText;
import dev.clearance.identity.v1.IdentityServiceGrpc.IdentityServiceBlockingStub;
import dev.clearance.identity.v1.Person;
import dev.clearance.identity.v1.ResolveCallerRequest;
import dev.clearance.testing.PostgresTestResource;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
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

import static dev.clearance.identity.support.Fixtures.person;
import static dev.clearance.identity.support.Fixtures.uniqueId;
import static dev.clearance.identity.support.Webhooks.persona;
import static dev.clearance.identity.support.Webhooks.post;
import static dev.clearance.identity.support.Webhooks.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * identity-service's metrics after real calls (a vendor webhook processed and one refused, a
 * ResolveCaller refused), and its logs meanwhile: the vendor's payload names the person (Avery
 * Quill, born 1988-02-14) and the passport number (X00000000); none of it may reach a log line.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class TelemetryTest {

    @GrpcClient("identity")
    IdentityServiceBlockingStub identity;

    @Test
    void webhookAndResolveCallerMetricsMoveAndNoPersonalDataIsLogged() throws Exception {
        long from = Files.exists(LOG_FILE) ? Files.size(LOG_FILE) : 0;
        Map<String, Double> before = scrape();
        Person p = person(identity, null, null);
        byte[] body = sample("persona/inquiry-approved-passport.json", p.getName(), uniqueId("e"));
        Response processed = persona(body);
        assertEquals(200, processed.statusCode(), processed.asString());
        Response forged = post("persona", "Persona-Signature", "t=1,v1=00", body);
        assertEquals(401, forged.statusCode(), forged.asString());
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> identity.resolveCaller(
                ResolveCallerRequest.newBuilder().setApiKey("ck_no_such_key_" + uniqueId("k")).build()));
        String refusedCode = refused.getStatus().getCode().name();

        Map<String, Double> after = scrape();
        assertEquals(1, delta(before, after, "clearance_identity_webhook_events_total{result=\"processed\",vendor=\"persona\"}"));
        assertEquals(1, delta(before, after, "clearance_identity_webhook_events_total{result=\"rejected\",vendor=\"persona\"}"));
        assertEquals(1, delta(before, after,
                "clearance_identity_resolve_caller_seconds_count{outcome=\"" + refusedCode + "\"}"));
        // Other tests of this application open and close change streams: only its presence is certain here.
        assertFalse(after.getOrDefault("clearance_identity_change_subscribers", -1.0) < 0, "no subscribers gauge");

        // The file is written as the lines are logged; the refused delivery's line proves it is captured.
        List<String> logged = newLines(from);
        assertTrue(logged.stream().anyMatch(l -> l.contains("persona webhook refused")), "nothing captured: " + logged);
        for (String line : logged) {
            for (String personal : List.of("Avery", "Quill", "1988-02-14", "X00000000", p.getDisplayName())) {
                assertFalse(line.contains(personal), "personal data (" + personal + ") logged: " + line);
            }
        }
    }

    /** Where the %test profile has identity-service write its (JSON) log. */
    private static final Path LOG_FILE = Path.of("target", "identity-test.log").toAbsolutePath();

    private static List<String> newLines(long from) throws IOException {
        byte[] all = Files.readAllBytes(LOG_FILE);
        int start = (int) Math.min(from, all.length);
        return List.of(new String(all, start, all.length - start, StandardCharsets.UTF_8).split("\n"));
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String series) {
        Double now = after.get(series);
        if (now == null) {
            throw new AssertionError("no series " + series + " in " + after.keySet().stream()
                    .filter(k -> k.startsWith("clearance_")).toList());
        }
        return now - before.getOrDefault(series, 0.0);
    }

    private static Map<String, Double> scrape() throws Exception {
        return PrometheusText.scrape(18101);
    }
}
