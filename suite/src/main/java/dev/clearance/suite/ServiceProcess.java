package dev.clearance.suite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Quarkus service run as its own JVM from its fast-jar ({@code target/quarkus-app/quarkus-run.jar}),
 * configured entirely by {@code -D} system properties (which win over application.properties and
 * the environment), ready when {@code /q/health/ready} answers 200.
 */
public final class ServiceProcess implements AutoCloseable {

    static final Duration START_TIMEOUT = Duration.ofMinutes(5);

    private final String name;
    private final Path jar;
    private final Map<String, String> properties;
    private final int grpcPort;
    private final int httpPort;
    private final Path logFile;
    private final List<String> jvmOptions;
    private volatile ChildProcess process;
    private Duration startDuration;

    public ServiceProcess(String name, Path jar, Map<String, String> properties, int grpcPort, int httpPort,
                          Path logFile, List<String> jvmOptions) {
        this.name = name;
        this.jar = jar.toAbsolutePath().normalize();
        this.properties = new TreeMap<>(properties);
        this.properties.put("quarkus.grpc.server.port", Integer.toString(grpcPort));
        this.properties.put("quarkus.http.port", Integer.toString(httpPort));
        this.grpcPort = grpcPort;
        this.httpPort = httpPort;
        this.logFile = logFile;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    public void start() {
        if (process != null) {
            throw new IllegalStateException(name + " already started");
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(name + " is not built: " + jar + " is missing (mvn -B -DskipTests package)");
        }
        LocalEndpoint.requireFree(grpcPort, name + " gRPC");
        LocalEndpoint.requireFree(httpPort, name + " HTTP");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toString());
        long startNanos = System.nanoTime();
        ChildProcess started = ChildProcess.start(name, command, Map.of(), logFile.getParent(), logFile);
        process = started;
        try {
            started.awaitReady(this::isReady, START_TIMEOUT);
        } catch (IllegalStateException e) {
            started.stop(Duration.ofSeconds(10));
            process = null;
            throw e;
        }
        startDuration = Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** Ready when health says so; a service without the health extension counts once its gRPC port answers. */
    public boolean isReady() {
        int status = LocalEndpoint.httpStatus("http://localhost:" + httpPort + "/q/health/ready");
        return status == 200 || (status == 404 && LocalEndpoint.listening(grpcPort));
    }

    public boolean isRunning() {
        ChildProcess running = process;
        return running != null && running.isAlive();
    }

    /** Also ends a start in progress (the shutdown hook may call it while {@link #start()} waits). */
    public void stop() {
        ChildProcess running = process;
        process = null;
        if (running != null) {
            running.stop(Duration.ofSeconds(20));
        }
    }

    /** Ends the process with SIGKILL, as a crash or an evicted pod would. */
    public void kill() {
        ChildProcess running = process;
        process = null;
        if (running != null) {
            running.kill();
        }
    }

    @Override
    public void close() {
        stop();
    }

    public String name() {
        return name;
    }

    public int grpcPort() {
        return grpcPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public Path logFile() {
        return logFile;
    }

    public Map<String, String> properties() {
        return Map.copyOf(properties);
    }

    public Duration startDuration() {
        return startDuration;
    }

    @Override
    public String toString() {
        return name + " grpc=" + grpcPort + " http=" + httpPort + " (log " + logFile + ")";
    }
}
