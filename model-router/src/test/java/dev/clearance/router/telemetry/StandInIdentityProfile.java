package dev.clearance.router.telemetry;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** The router's identity client on the router's own test port, where {@link StandInIdentityService} answers. */
public class StandInIdentityProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.grpc.clients.identity.test-port", "19100",
                // A staleness bound no slow test run reaches: these tests are about fresh decisions.
                "clearance.router.staleness-bound", "1h",
                // The production log format (JSON with the MDC), to a file the test reads.
                "quarkus.log.file.enabled", "true",
                "quarkus.log.file.path", ObservabilityTest.LOG_FILE.toString(),
                "quarkus.log.file.json.enabled", "true");
    }
}
