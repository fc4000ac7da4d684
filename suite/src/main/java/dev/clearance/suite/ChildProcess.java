package dev.clearance.suite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One operating-system process the suite started: output to a log file, readiness by polling,
 * stop by SIGTERM (then SIGKILL) for the process and every process it spawned.
 */
final class ChildProcess {

    private static final Duration POLL = Duration.ofMillis(250);

    private final String name;
    private final Path logFile;
    private final Process process;

    private ChildProcess(String name, Path logFile, Process process) {
        this.name = name;
        this.logFile = logFile;
        this.process = process;
    }

    static ChildProcess start(String name, List<String> command, Map<String, String> environment,
                              Path workingDirectory, Path logFile) {
        try {
            Files.createDirectories(logFile.getParent());
            Files.createDirectories(workingDirectory);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workingDirectory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .redirectInput(ProcessBuilder.Redirect.PIPE);
            builder.environment().putAll(environment);
            return new ChildProcess(name, logFile, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + ": " + command.get(0), e);
        }
    }

    /**
     * Polls {@code ready} until it holds. Fails when the process exits first or the timeout passes;
     * either way the log's tail is part of the message and the process is stopped.
     */
    void awaitReady(BooleanSupplier ready, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new ExitedBeforeReady(name + " exited with code " + process.exitValue()
                        + " before it was ready; last lines of " + logFile + ":\n" + LogFile.tail(logFile, 60));
            }
            if (ready.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                String tail = LogFile.tail(logFile, 60);
                stop(Duration.ofSeconds(10));
                throw new IllegalStateException(name + " was not ready after " + timeout.toSeconds()
                        + " s; last lines of " + logFile + ":\n" + tail);
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop(Duration.ofSeconds(10));
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
        }
    }

    /** The process ended on its own (or was stopped) while the suite waited for it. */
    static final class ExitedBeforeReady extends IllegalStateException {
        ExitedBeforeReady(String message) {
            super(message);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    Path logFile() {
        return logFile;
    }

    /** SIGKILL, no grace: a crash as far as its peers can tell (no stream is closed politely). */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * SIGTERM to the process (Quarkus and kc.sh shut down gracefully on it), SIGKILL after
     * {@code grace}; then the same for any descendant left behind (kc.sh's JVM).
     */
    void stop(Duration grace) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle child : descendants) {
                if (child.isAlive()) {
                    child.destroy();
                    try {
                        child.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (Exception e) {
                        child.destroyForcibly();
                    }
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            descendants.forEach(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
        }
    }
}
