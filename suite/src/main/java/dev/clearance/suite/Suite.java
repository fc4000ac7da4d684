package dev.clearance.suite;

import dev.clearance.testing.EmbeddedDatabase;
import dev.clearance.testing.PostgresConnection;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The whole system on one machine, every part its own process: PostgreSQL (embedded unless
 * {@code CLEARANCE_DB_URL} is set), Keycloak, identity-service, entitlement-service, model-router.
 * Started in dependency order (independent parts in parallel), stopped in reverse order, also
 * from a shutdown hook so Ctrl-C or a crashed test leaves nothing running.
 */
public final class Suite implements AutoCloseable {

    /** The audience every Clearance service requires of a bearer token. */
    public static final String AUDIENCE = "clearance-api";

    private final SuiteConfig config;
    private final KeycloakServer keycloak;
    private EmbeddedDatabase embeddedDatabase;
    private PostgresConnection database;
    private ServiceProcess identity;
    private ServiceProcess entitlement;
    private ServiceProcess router;
    private Thread shutdownHook;
    private Duration startDuration;
    private volatile boolean stopped;

    private Suite(SuiteConfig config) {
        this.config = config;
        SuitePorts ports = config.ports();
        this.keycloak = new KeycloakServer(config.keycloakDistribution(), config.keycloakInstances(),
                ports.keycloakHttp(), ports.keycloakManagement(), config.logDirectory().resolve("keycloak.log"),
                config.keycloakJavaHome());
    }

    /** Starts everything and returns once the router is ready; on failure stops what was started. */
    public static Suite start(SuiteConfig config) {
        Suite suite = new Suite(config);
        suite.startAll();
        return suite;
    }

    private void startAll() {
        long started = System.nanoTime();
        shutdownHook = new Thread(this::stop, "clearance-suite-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            inParallel(this::startDatabase, keycloak::start);
            identity = service(SuiteConfig.IDENTITY, config.ports().identityGrpc(), config.ports().identityHttp(),
                    identityProperties());
            entitlement = service(SuiteConfig.ENTITLEMENT, config.ports().entitlementGrpc(),
                    config.ports().entitlementHttp(), entitlementProperties());
            router = service(SuiteConfig.ROUTER, config.ports().routerGrpc(), config.ports().routerHttp(),
                    routerProperties());
            requireNotStopped();
            inParallel(identity::start, entitlement::start);
            requireNotStopped();
            router.start();
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        startDuration = Duration.ofNanos(System.nanoTime() - started);
    }

    /** Ctrl-C during a start: do not launch anything after the shutdown hook ran. */
    private void requireNotStopped() {
        if (stopped) {
            throw new IllegalStateException("the suite was stopped while starting");
        }
    }

    private void startDatabase() {
        if (config.databaseUrl() != null) {
            database = PostgresConnection.parseJdbcUrl(config.databaseUrl());
        } else {
            embeddedDatabase = EmbeddedDatabase.start();
            database = embeddedDatabase.connection();
        }
    }

    private ServiceProcess service(String module, int grpcPort, int httpPort, Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(properties);
        all.putAll(config.extraProperties(module));
        return new ServiceProcess(module, config.serviceJar(module), all, grpcPort, httpPort,
                config.logDirectory().resolve(module + ".log"), config.serviceJvmOptions());
    }

    private Map<String, String> commonProperties() {
        Map<String, String> p = new HashMap<>();
        p.put("clearance.oidc.issuer", keycloak.issuer());
        p.put("clearance.oidc.audience", AUDIENCE);
        return p;
    }

    private Map<String, String> datasourceProperties(String schema) {
        Map<String, String> p = commonProperties();
        p.put("quarkus.datasource.reactive.url", database.reactiveUrl());
        p.put("quarkus.datasource.jdbc.url", database.jdbcUrl());
        p.put("quarkus.datasource.username", database.user());
        p.put("quarkus.datasource.password", database.password());
        p.put("clearance.db.schema", schema);
        return p;
    }

    Map<String, String> identityProperties() {
        return datasourceProperties(config.identitySchema());
    }

    Map<String, String> entitlementProperties() {
        Map<String, String> p = datasourceProperties(config.entitlementSchema());
        p.put("quarkus.grpc.clients.identity.host", "localhost");
        p.put("quarkus.grpc.clients.identity.port", Integer.toString(config.ports().identityGrpc()));
        return p;
    }

    Map<String, String> routerProperties() {
        Map<String, String> p = commonProperties();
        p.put("quarkus.grpc.clients.identity.host", "localhost");
        p.put("quarkus.grpc.clients.identity.port", Integer.toString(config.ports().identityGrpc()));
        p.put("quarkus.grpc.clients.entitlement.host", "localhost");
        p.put("quarkus.grpc.clients.entitlement.port", Integer.toString(config.ports().entitlementGrpc()));
        return p;
    }

    /** Stops everything in reverse order; safe to call more than once and from the shutdown hook. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        List<RuntimeException> failures = new ArrayList<>();
        for (AutoCloseable part : new AutoCloseable[] {router, entitlement, identity, keycloak}) {
            if (part != null) {
                try {
                    part.close();
                } catch (Exception e) {
                    failures.add(new RuntimeException("could not stop " + part, e));
                }
            }
        }
        if (database != null && config.dropSchemasOnStop() && embeddedDatabase == null) {
            dropSchemas(failures);
        }
        if (embeddedDatabase != null) {
            try {
                embeddedDatabase.stop();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook runs (or ran) anyway; stop() is idempotent
            }
        }
        failures.forEach(f -> System.err.println("clearance suite: " + f.getMessage()));
    }

    private void dropSchemas(List<RuntimeException> failures) {
        try (Connection c = database.open(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS \"" + config.identitySchema() + "\" CASCADE");
            s.execute("DROP SCHEMA IF EXISTS \"" + config.entitlementSchema() + "\" CASCADE");
        } catch (Exception e) {
            failures.add(new RuntimeException("could not drop the suite's schemas", e));
        }
    }

    @Override
    public void close() {
        stop();
    }

    public SuiteConfig config() {
        return config;
    }

    public KeycloakServer keycloak() {
        return keycloak;
    }

    public ServiceProcess identity() {
        return identity;
    }

    public ServiceProcess entitlement() {
        return entitlement;
    }

    public ServiceProcess router() {
        return router;
    }

    public PostgresConnection database() {
        return database;
    }

    public boolean embeddedDatabase() {
        return embeddedDatabase != null;
    }

    public Duration startDuration() {
        return startDuration;
    }

    /** One line per part with its start time, for humans. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("  %-20s %s%n", "PostgreSQL",
                (embeddedDatabase != null ? "embedded " : "external ") + database.host() + ":" + database.port()
                        + "/" + database.database()
                        + " (schemas " + config.identitySchema() + ", " + config.entitlementSchema() + ")"));
        b.append(String.format("  %-20s %s  started in %.1f s%n", "Keycloak", keycloak.baseUrl(),
                seconds(keycloak.startDuration())));
        for (ServiceProcess s : new ServiceProcess[] {identity, entitlement, router}) {
            b.append(String.format("  %-20s grpc localhost:%d  health http://localhost:%d/q/health  started in %.1f s%n",
                    s.name(), s.grpcPort(), s.httpPort(), seconds(s.startDuration())));
        }
        b.append(String.format("  %-20s %s%n", "logs", config.logDirectory()));
        return b.toString();
    }

    static double seconds(Duration d) {
        return d == null ? Double.NaN : d.toMillis() / 1000.0;
    }

    private static void inParallel(Runnable... tasks) {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.length);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Runnable task : tasks) {
                futures.add(pool.submit(task));
            }
            RuntimeException failure = null;
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    RuntimeException cause = e.getCause() instanceof RuntimeException r ? r
                            : new IllegalStateException(e.getCause());
                    if (failure == null) {
                        failure = cause;
                    } else {
                        failure.addSuppressed(cause);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while starting the suite", e);
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
