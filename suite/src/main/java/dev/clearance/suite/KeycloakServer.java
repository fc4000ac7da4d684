package dev.clearance.suite;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Keycloak from the {@code keycloak-quarkus-dist} zip (unpacked by the build into
 * {@code suite/target/keycloak}), in dev mode with the shipped realm.
 *
 * <p>Each server gets its own home under {@code suite/target/keycloak-instances/<port>}: symbolic
 * links to the distribution's read-only parts and its own {@code data/} (H2 database, realm
 * import). The H2 data are kept between runs because an existing database starts in about a
 * third of the time of a fresh one; they are wiped whenever the realm file changes, so the
 * import always reflects the shipped realm. Startups are serialised through a lock file because
 * the first one after unpacking re-augments the shared distribution.
 */
public final class KeycloakServer implements AutoCloseable {

    public static final String REALM = "clearance";
    static final String REALM_RESOURCE = "keycloak/clearance-realm.json";
    static final Duration START_TIMEOUT = Duration.ofMinutes(10);
    private static final List<String> SHARED_DIRECTORIES = List.of("bin", "conf", "lib", "providers", "themes");

    private final Path distribution;
    private final Path home;
    private final int httpPort;
    private final int managementPort;
    private final Path logFile;
    private final String javaHome;
    private volatile ChildProcess process;
    private volatile boolean stopRequested;
    private Duration startDuration;

    /**
     * @param distribution the unpacked {@code keycloak-<version>} directory
     * @param instances    where per-port homes live
     * @param javaHome     JDK for the Keycloak process only; null inherits this process's environment
     */
    public KeycloakServer(Path distribution, Path instances, int httpPort, int managementPort, Path logFile,
                          String javaHome) {
        this.distribution = distribution.toAbsolutePath().normalize();
        this.home = instances.toAbsolutePath().normalize().resolve(Integer.toString(httpPort));
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.logFile = logFile;
        this.javaHome = javaHome;
    }

    public void start() {
        if (process != null) {
            throw new IllegalStateException("Keycloak already started");
        }
        if (!Files.isExecutable(distribution.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("no Keycloak distribution at " + distribution
                    + "; build the suite module first (mvn -B -pl suite generate-resources)");
        }
        stopRequested = false;
        LocalEndpoint.requireFree(httpPort, "Keycloak HTTP");
        LocalEndpoint.requireFree(managementPort, "Keycloak management");
        long started = System.nanoTime();
        try (FileChannel channel = FileChannel.open(distribution.resolveSibling(".clearance-start.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            boolean keptData = prepareHome();
            try {
                launch();
            } catch (ChildProcess.ExitedBeforeReady e) {
                if (!keptData || stopRequested) {
                    throw e;
                }
                // A database left behind by a killed run can be unusable: start once more from scratch.
                System.err.println("Keycloak did not start on its kept data; retrying with a fresh database. "
                        + e.getMessage());
                deleteRecursively(home.resolve("data"));
                prepareHome();
                launch();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare Keycloak in " + home, e);
        }
        startDuration = Duration.ofNanos(System.nanoTime() - started);
    }

    private void launch() {
        List<String> command = List.of(distribution.resolve("bin/kc.sh").toString(),
                "start-dev",
                "--http-port=" + httpPort,
                "--http-management-port=" + managementPort,
                // A fixed issuer, whichever host name a client uses to reach Keycloak.
                "--hostname=" + baseUrl(),
                "--import-realm",
                "-Dkc.home.dir=" + home);
        Map<String, String> environment = new java.util.HashMap<>(Map.of(
                "KC_BOOTSTRAP_ADMIN_USERNAME", "admin",
                "KC_BOOTSTRAP_ADMIN_PASSWORD", "admin",
                // C1 only: starts about 40 % faster on two busy cores; a login server for a demo and tests
                // never runs long enough for C2 to pay off.
                "JAVA_OPTS_APPEND", "-XX:TieredStopAtLevel=1"));
        if (javaHome != null && !javaHome.isBlank()) {
            environment.put("JAVA_HOME", javaHome);
        }
        ChildProcess started = ChildProcess.start("Keycloak", command, environment, home, logFile);
        process = started;
        try {
            started.awaitReady(this::isReady, START_TIMEOUT);
        } catch (IllegalStateException e) {
            started.stop(Duration.ofSeconds(10));
            process = null;
            throw e;
        }
    }

    /** @return whether an existing database was kept */
    private boolean prepareHome() throws IOException {
        Files.createDirectories(home);
        for (String shared : SHARED_DIRECTORIES) {
            Path link = home.resolve(shared);
            if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(link, distribution.resolve(shared));
            }
        }
        byte[] realm = realmFile();
        String digest = sha256(realm);
        Path digestFile = home.resolve("realm.sha256");
        boolean sameRealm = Files.exists(digestFile) && Files.readString(digestFile).trim().equals(digest);
        if (!sameRealm) {
            deleteRecursively(home.resolve("data"));
        }
        boolean keptData = Files.isDirectory(home.resolve("data/h2"));
        Path imports = Files.createDirectories(home.resolve("data/import"));
        Files.write(imports.resolve(REALM + "-realm.json"), realm);
        Files.writeString(digestFile, digest + "\n");
        return keptData;
    }

    static byte[] realmFile() throws IOException {
        try (InputStream in = KeycloakServer.class.getClassLoader().getResourceAsStream(REALM_RESOURCE)) {
            if (in == null) {
                throw new IOException(REALM_RESOURCE + " is not on the classpath");
            }
            return in.readAllBytes();
        }
    }

    public boolean isReady() {
        return LocalEndpoint.httpStatus(issuer() + "/.well-known/openid-configuration") == 200;
    }

    /** Also ends a start in progress (the shutdown hook may call it while {@link #start()} waits). */
    public void stop() {
        stopRequested = true;
        ChildProcess running = process;
        process = null;
        if (running != null) {
            running.stop(Duration.ofSeconds(30));
        }
    }

    @Override
    public void close() {
        stop();
    }

    public String baseUrl() {
        return "http://localhost:" + httpPort;
    }

    /** The {@code iss} of the realm's tokens. */
    public String issuer() {
        return baseUrl() + "/realms/" + REALM;
    }

    public String tokenEndpoint() {
        return issuer() + "/protocol/openid-connect/token";
    }

    public TokenClient tokens() {
        return new TokenClient(tokenEndpoint());
    }

    public int httpPort() {
        return httpPort;
    }

    public Path logFile() {
        return logFile;
    }

    /** Wall time of the last {@link #start()}, lock wait included. */
    public Duration startDuration() {
        return startDuration;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Override
    public String toString() {
        return "Keycloak " + baseUrl() + " (home " + home + ", log " + logFile + ")";
    }
}
