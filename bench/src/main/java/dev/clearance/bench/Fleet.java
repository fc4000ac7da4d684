package dev.clearance.bench;

import dev.clearance.entitlement.v1.EntitlementServiceGrpc;
import dev.clearance.entitlement.v1.GetPropagationStatusRequest;
import dev.clearance.entitlement.v1.PropagationStatus;
import dev.clearance.entitlement.v1.RouterPropagation;
import dev.clearance.identity.v1.IdentityServiceGrpc;
import dev.clearance.suite.ServiceProcess;
import dev.clearance.suite.SuiteConfig;
import dev.clearance.suite.CallerCredentials;
import dev.clearance.testing.EmbeddedDatabase;
import dev.clearance.testing.TestIssuer;
import dev.clearance.testing.PostgresConnection;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The processes one benchmark part runs: an embedded PostgreSQL and the services, each its own JVM
 * from its built fast-jar, no Keycloak: callers use API keys, and admin calls carry access tokens
 * signed by a {@link TestIssuer} whose JWKS the fleet serves (the services check their roles as
 * they would Keycloak's). Stopped in reverse order, also from a shutdown hook.
 *
 * <p>Ports: gRPC 27100-27119, HTTP 26100-26119 (gRPC - 1000), used by no test or suite and below the
 * kernel's ephemeral range (32768-60999), so no socket bound to port 0 can hold one. Logs and
 * router snapshot files in {@code bench/target/services/<run>/}.
 */
final class Fleet implements AutoCloseable {

    /**
     * First gRPC port; {@code -Dclearance.bench.port-base=N} moves the whole block (e.g. 16100: gRPC
     * 16100-16119, HTTP 15100-15119) so a second worktree can run a part beside another's run.
     */
    private static final int BASE = Integer.getInteger("clearance.bench.port-base", 27100);
    static final int IDENTITY_GRPC = BASE + 1;
    static final int ENTITLEMENT_A_GRPC = BASE + 2;
    static final int ENTITLEMENT_B_GRPC = BASE + 4;
    static final int ROUTER_GRPC = BASE;
    static final int ROUTER_2_GRPC = BASE + 3;
    static final int ROUTER_3_GRPC = BASE + 5;
    static final int BARE_ECHO_GRPC = BASE + 10;
    private static final int HTTP_OFFSET = -1000;

    /** The JVM options of every service process: bin/up's long-running settings (default JIT and GC). */
    static final List<String> SERVICE_JVM = SuiteConfig.LONG_RUNNING_JVM;
    private static final String SERVICE_PROPERTY = "clearance.bench.service.";

    private final Path home;
    private final Path runDirectory;
    private final EmbeddedDatabase embedded;
    private final PostgresConnection database;
    private final String identitySchema;
    private final String entitlementSchema;
    private final List<ServiceProcess> started = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::close, "bench-fleet-stop");
    private final TestIssuer issuer = new TestIssuer();
    private final TestIssuer.JwksServer jwks;
    private boolean closed;

    Fleet(Path home, String part) {
        this.home = home;
        String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        this.runDirectory = home.resolve("bench/target/services/" + part + "-" + run);
        this.identitySchema = "bench_identity";
        this.entitlementSchema = "bench_entitlement";
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        this.jwks = issuer.serveJwks();
        this.embedded = EmbeddedDatabase.start();
        this.database = embedded.connection();
    }

    PostgresConnection database() {
        return database;
    }

    String identitySchema() {
        return identitySchema;
    }

    Path runDirectory() {
        return runDirectory;
    }

    ServiceProcess identity() {
        return service("identity-service", "identity-service", IDENTITY_GRPC, datasource(identitySchema));
    }

    ServiceProcess entitlement(String replica, int grpcPort) {
        Map<String, String> p = datasource(entitlementSchema);
        p.put("quarkus.grpc.clients.identity.host", "localhost");
        p.put("quarkus.grpc.clients.identity.port", Integer.toString(IDENTITY_GRPC));
        p.put("clearance.replica.id", replica);
        return service("entitlement-service", replica, grpcPort, p);
    }

    ServiceProcess router(String id, int grpcPort, int entitlementPort, Map<String, String> extra) {
        Map<String, String> p = new HashMap<>();
        p.put("quarkus.grpc.clients.identity.host", "localhost");
        p.put("quarkus.grpc.clients.identity.port", Integer.toString(IDENTITY_GRPC));
        p.put("quarkus.grpc.clients.entitlement.host", "localhost");
        p.put("quarkus.grpc.clients.entitlement.port", Integer.toString(entitlementPort));
        p.put("clearance.router.id", id);
        p.put("clearance.router.snapshot-path", runDirectory.resolve(id + "/policy-snapshot.pb").toString());
        p.putAll(extra);
        return service("model-router", id, grpcPort, p);
    }

    /** The bare echo service (bench/echo-service), the limit the router is compared with. */
    ServiceProcess bareEcho() {
        Path jar = home.resolve("bench/echo-service/target/quarkus-app/quarkus-run.jar");
        return track(new ServiceProcess("bare-echo", jar, Map.of(), BARE_ECHO_GRPC, BARE_ECHO_GRPC + HTTP_OFFSET,
                runDirectory.resolve("logs/bare-echo.log"), jvm("bare-echo")));
    }

    private ServiceProcess service(String module, String name, int grpcPort, Map<String, String> properties) {
        // -Dclearance.bench.service.<key>=<value> passes <key>=<value> to every service (e.g. a log level to investigate).
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith(SERVICE_PROPERTY))
                .forEach(k -> properties.put(k.substring(SERVICE_PROPERTY.length()), System.getProperty(k)));
        Path jar = home.resolve(module + "/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(module + " is not built: " + jar + " is missing (bin/bench builds it)");
        }
        return track(new ServiceProcess(name, jar, properties, grpcPort, grpcPort + HTTP_OFFSET,
                runDirectory.resolve("logs/" + name + ".log"), jvm(name)));
    }

    /** {@link #SERVICE_JVM} plus a GC log beside the service's log: pauses explain a tail (one line per pause). */
    private List<String> jvm(String name) {
        List<String> options = new ArrayList<>(SERVICE_JVM);
        options.add("-Xlog:gc:file=" + runDirectory.resolve("logs/" + name + "-gc.log") + ":uptime");
        return options;
    }

    private ServiceProcess track(ServiceProcess process) {
        started.add(process);
        return process;
    }

    private Map<String, String> datasource(String schema) {
        Map<String, String> p = new HashMap<>();
        p.put("quarkus.datasource.reactive.url", database.reactiveUrl());
        p.put("quarkus.datasource.jdbc.url", database.jdbcUrl());
        p.put("quarkus.datasource.username", database.user());
        p.put("quarkus.datasource.password", database.password());
        p.put("clearance.db.schema", schema);
        p.put("clearance.oidc.issuer", issuer.issuer());
        p.put("clearance.oidc.jwks-url", jwks.url());
        return p;
    }

    /** The benchmark's operator: admin and compliance roles, a fresh token per call. */
    private CallerCredentials operator() {
        return CallerCredentials.admin(() -> issuer.token("bench-operator", "bench-operator",
                TestIssuer.ADMIN, TestIssuer.COMPLIANCE));
    }

    ManagedChannel channel(int port) {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", port).usePlaintext().build();
        channels.add(channel);
        return channel;
    }

    EntitlementServiceGrpc.EntitlementServiceBlockingStub entitlementStub(int port) {
        return EntitlementServiceGrpc.newBlockingStub(channel(port)).withInterceptors(operator());
    }

    IdentityServiceGrpc.IdentityServiceBlockingStub identityStub() {
        return IdentityServiceGrpc.newBlockingStub(channel(IDENTITY_GRPC)).withInterceptors(operator());
    }

    /** The operating-system process of a service: the child JVM whose command line runs its jar with its port. */
    static ProcessHandle processOf(ServiceProcess service) {
        String port = "-Dquarkus.grpc.server.port=" + service.grpcPort();
        return ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().map(c -> c.contains(port)).orElse(false))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no process found for " + service));
    }

    /** Resident memory of a process in MiB, from /proc/<pid>/status (VmRSS). */
    static double residentMiB(ProcessHandle process) throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring(6).trim().split("\\s+");
                return Long.parseLong(parts[0]) / 1024.0;
            }
        }
        throw new IllegalStateException("no VmRSS for pid " + process.pid());
    }

    /** Waits until every router in {@code routers} has applied {@code revision} (bounded). */
    static PropagationStatus awaitApplied(EntitlementServiceGrpc.EntitlementServiceBlockingStub replica, long revision,
                                          Set<String> routers) {
        return await(() -> replica.getPropagationStatus(GetPropagationStatusRequest.newBuilder()
                        .setRevision(revision).build()).getStatus(),
                s -> routers.stream().allMatch(r -> s.getRoutersList().stream()
                        .anyMatch(p -> p.getRouterId().equals(r) && p.getApplied())),
                "routers " + routers + " apply revision " + revision);
    }

    static boolean appliedBy(PropagationStatus status, String router) {
        for (RouterPropagation p : status.getRoutersList()) {
            if (p.getRouterId().equals(router)) {
                return p.getApplied();
            }
        }
        return false;
    }

    /** Polls {@code read} until {@code done} holds, for at most 90 s; failing calls are retried. */
    static <T> T await(Supplier<T> read, Predicate<T> done, String what) {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        Object last = null;
        while (System.nanoTime() < giveUp) {
            try {
                T value = read.get();
                if (done.test(value)) {
                    return value;
                }
                last = value;
            } catch (StatusRuntimeException e) {
                last = e.getStatus();
            }
            sleep(50);
        }
        throw new IllegalStateException("gave up waiting: " + what + "; last seen: " + last);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void inParallel(Runnable... tasks) {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.length);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Runnable task : tasks) {
                futures.add(pool.submit(task));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("a process did not start", e);
        } finally {
            pool.shutdownNow();
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (ManagedChannel c : channels) {
            c.shutdownNow();
        }
        channels.clear();
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).stop();
        }
        started.clear();
        embedded.stop();
        jwks.close();
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook runs anyway; close() is idempotent
            }
        }
    }
}
