package dev.clearance.router.policy;

import dev.clearance.router.TestSnapshots;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A router started while the control plane is down (its client points at a closed port) with a
 * snapshot file left by an earlier run: it serves that snapshot, ready but stale.
 */
@QuarkusTest
@TestProfile(DiskStartTest.SnapshotOnDisk.class)
class DiskStartTest {

    public static class SnapshotOnDisk implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path dir = Files.createTempDirectory("clearance-router-disk");
                Path file = dir.resolve("policy-snapshot.pb");
                // What an earlier run of the router left behind.
                new SnapshotFile(file).write(TestSnapshots.proto(42, true));
                file.toFile().deleteOnExit();
                dir.toFile().deleteOnExit();
                return Map.of("clearance.router.snapshot-path", file.toString());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Inject
    CurrentPolicy current;

    @Inject
    PolicyFreshness freshness;

    @Test
    void startsFromTheSnapshotOnDiskMarkedStale() throws Exception {
        assertEquals(42, current.get().revision());
        assertEquals(CurrentPolicy.Source.DISK, current.held().source());
        assertTrue(freshness.isStale());
        assertTrue(current.get().isControlled("fable-5"));

        JsonObject check = PolicyHealthTest.policyCheck();
        assertEquals("UP", check.getString("status"), "ready: it can serve uncontrolled models");
        JsonObject data = check.getJsonObject("data");
        assertEquals("DISK", data.getString("source"));
        assertTrue(data.getBoolean("stale"));
        assertEquals(-1, data.getInt("last_heard_ms"), "never heard from the control plane");
        assertTrue(data.getBoolean("persisted"));
    }
}
