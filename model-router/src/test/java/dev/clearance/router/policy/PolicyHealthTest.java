package dev.clearance.router.policy;

import dev.clearance.entitlement.v1.PolicyHeartbeat;
import dev.clearance.router.TestSnapshots;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code policy} readiness check over HTTP: a router whose snapshot file cannot be written
 * still serves and says so; staleness shows (and clears) with its age.
 */
@QuarkusTest
@TestProfile(PolicyHealthTest.UnwritableSnapshotPath.class)
class PolicyHealthTest {

    public static class UnwritableSnapshotPath implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                // A regular file where a directory would have to be: no one can create a file below it.
                Path blocker = Files.createTempFile("clearance-router-blocker", ".txt");
                blocker.toFile().deleteOnExit();
                return Map.of("clearance.router.snapshot-path", blocker.resolve("policy-snapshot.pb").toString(),
                        "clearance.router.staleness-bound", "1s");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Inject
    PolicyUpdates updates;

    @Inject
    CurrentPolicy current;

    static JsonObject policyCheck() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:18100/q/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonObject body = Json.createReader(new StringReader(response.body())).readObject();
        JsonObject check = body.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                .filter(c -> c.getString("name").equals("policy")).findFirst().orElseThrow();
        assertEquals(response.statusCode() == 200 ? "UP" : "DOWN", check.getString("status"), response.body());
        return check;
    }

    private JsonObject awaitStale(boolean stale) throws Exception {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonObject check = policyCheck();
        while (check.getJsonObject("data").getBoolean("stale") != stale && System.nanoTime() < giveUp) {
            Thread.sleep(50);
            check = policyCheck();
        }
        return check;
    }

    @Test
    void anUnwritableSnapshotPathIsReportedWhileTheRouterServesAndStalenessComesAndGoes() throws Exception {
        current.clear();
        updates.onSnapshot(TestSnapshots.proto(7, false));

        JsonObject fresh = policyCheck();
        assertEquals("UP", fresh.getString("status"), "a router that cannot persist still serves");
        JsonObject data = fresh.getJsonObject("data");
        assertEquals(7, data.getInt("revision"));
        assertEquals("STREAM", data.getString("source"));
        assertFalse(data.getBoolean("persisted"));
        assertTrue(data.getString("persist_error").length() > 0, data.toString());
        assertEquals(1000, data.getInt("staleness_bound_ms"));

        // Nothing more from the control plane: past the bound the check says so, and stays UP.
        JsonObject stale = awaitStale(true);
        assertEquals("UP", stale.getString("status"));
        assertTrue(stale.getJsonObject("data").getBoolean("stale"));
        // Stale means more than 1000 ms in nanoseconds; in whole milliseconds that can read 1000.
        assertTrue(stale.getJsonObject("data").getInt("last_heard_ms") >= 1000, stale.toString());

        updates.onHeartbeat(PolicyHeartbeat.newBuilder().setRevision(7).build());
        assertFalse(policyCheck().getJsonObject("data").getBoolean("stale"), "recovers on the next heartbeat");
    }
}
