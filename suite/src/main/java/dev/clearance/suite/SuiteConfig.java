package dev.clearance.suite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * How one suite runs: where the repository is, its ports, schemas, log directory and database.
 *
 * @param home              the repository root (holds the service modules)
 * @param databaseUrl       a JDBC URL with user and password parameters ({@code CLEARANCE_DB_URL}); null starts
 *                          an embedded PostgreSQL
 * @param dropSchemasOnStop drop the two schemas when the suite stops (only matters for an external database)
 * @param extraProperties   additional {@code -D} properties per service name (identity-service, ...)
 * @param keycloakJavaHome  JDK for Keycloak only ({@code CLEARANCE_KEYCLOAK_JAVA_HOME}); null inherits
 * @param serviceJvmOptions JVM options of the three service processes
 */
public record SuiteConfig(Path home, SuitePorts ports, String identitySchema, String entitlementSchema,
                          Path logDirectory, String databaseUrl, boolean dropSchemasOnStop,
                          Map<String, Map<String, String>> extraProperties, String keycloakJavaHome,
                          List<String> serviceJvmOptions) {

    /**
     * A long-running local suite: default JIT, so numbers measured against it mean something. The heap
     * starts at 256 MiB: from 64 MiB, G1 held the router's heap at 64 MiB under load (each concurrent
     * cycle's remark shrank it back), so a young pause came every second and a concurrent cycle with a
     * 5-30 ms remark pause every two, which pushed the router's p99 past 10 ms ~1,000 req/s before the
     * bare echo's (model-router README "JVM heap").
     */
    public static final List<String> LONG_RUNNING_JVM = List.of("-Xms256m", "-Xmx512m");
    /** A suite that lives for one test class: C1 only and the serial collector start faster on two cores. */
    static final List<String> SHORT_LIVED_JVM = List.of("-Xms64m", "-Xmx512m", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC");

    public static final String IDENTITY = "identity-service";
    public static final String ENTITLEMENT = "entitlement-service";
    public static final String ROUTER = "model-router";

    public SuiteConfig {
        extraProperties = Map.copyOf(extraProperties);
        serviceJvmOptions = List.copyOf(serviceJvmOptions);
    }

    /** {@code bin/up}: the default ports and schemas, logs in {@code suite/target/logs/up}. */
    public static SuiteConfig forUp() {
        Path home = locateHome();
        return new SuiteConfig(home, SuitePorts.defaults(), "identity", "entitlement",
                home.resolve("suite/target/logs/up"), blankToNull(System.getenv("CLEARANCE_DB_URL")), false,
                Map.of(), blankToNull(System.getenv("CLEARANCE_KEYCLOAK_JAVA_HOME")), LONG_RUNNING_JVM);
    }

    /**
     * The end-to-end test: its own ports, fresh schema names (so an external database keeps no state
     * between runs; they are dropped on stop), logs in {@code suite/target/logs/e2e}.
     */
    public static SuiteConfig forEndToEnd() {
        return forEndToEnd(SuitePorts.endToEnd(), "e2e");
    }

    /**
     * Another end-to-end test class's suite: its own port set (so classes never collide), logs in
     * {@code suite/target/logs/<name>}.
     */
    public static SuiteConfig forEndToEnd(SuitePorts ports, String name) {
        Path home = locateHome();
        String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        String schema = name.replace('-', '_');
        return new SuiteConfig(home, ports, schema + "_identity_" + run, schema + "_entitlement_" + run,
                home.resolve("suite/target/logs/" + name), blankToNull(System.getenv("CLEARANCE_DB_URL")), true,
                Map.of(), blankToNull(System.getenv("CLEARANCE_KEYCLOAK_JAVA_HOME")), SHORT_LIVED_JVM);
    }

    public SuiteConfig withServiceProperty(String service, String key, String value) {
        Map<String, Map<String, String>> copy = new HashMap<>(extraProperties);
        Map<String, String> forService = new HashMap<>(copy.getOrDefault(service, Map.of()));
        forService.put(key, value);
        copy.put(service, Map.copyOf(forService));
        return new SuiteConfig(home, ports, identitySchema, entitlementSchema, logDirectory, databaseUrl,
                dropSchemasOnStop, copy, keycloakJavaHome, serviceJvmOptions);
    }

    public Map<String, String> extraProperties(String service) {
        return extraProperties.getOrDefault(service, Map.of());
    }

    public Path serviceJar(String module) {
        return home.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    /** The unpacked Keycloak: {@code -Dclearance.keycloak.home}, else {@code suite/target/keycloak/keycloak-*}. */
    public Path keycloakDistribution() {
        String configured = blankToNull(System.getProperty("clearance.keycloak.home"));
        if (configured != null) {
            return Path.of(configured);
        }
        Path unpacked = home.resolve("suite/target/keycloak");
        try (Stream<Path> dirs = Files.isDirectory(unpacked) ? Files.list(unpacked) : Stream.empty()) {
            return dirs.filter(p -> p.getFileName().toString().startsWith("keycloak-") && Files.isDirectory(p))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("Keycloak is not unpacked under " + unpacked
                            + "; run mvn -B -pl suite generate-resources"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public Path keycloakInstances() {
        return home.resolve("suite/target/keycloak-instances");
    }

    /**
     * The repository root: {@code -Dclearance.home}, env {@code CLEARANCE_HOME}, else the nearest
     * directory upwards from the working directory that holds {@code suite/pom.xml}.
     */
    public static Path locateHome() {
        String configured = blankToNull(System.getProperty("clearance.home"));
        if (configured == null) {
            configured = blankToNull(System.getenv("CLEARANCE_HOME"));
        }
        if (configured != null) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("suite/pom.xml")) && Files.isDirectory(dir.resolve("model-router"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the Clearance repository; set -Dclearance.home or CLEARANCE_HOME");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
