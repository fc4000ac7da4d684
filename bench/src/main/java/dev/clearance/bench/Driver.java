package dev.clearance.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@link LoadDriver} as its own JVM and reads its JSON report. */
final class Driver {

    /** The driver's JVM: a fixed heap so it never resizes mid-run. */
    static final List<String> JVM = List.of("-Xms256m", "-Xmx256m");

    private final Path log;

    Driver(Path log) {
        this.log = log;
    }

    JsonNode run(String label, int port, String apiKey, double rate, double seconds, double warmup)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(LoadDriver.class.getName());
        command.addAll(List.of("--target", "localhost:" + port, "--rate", Double.toString(rate),
                "--seconds", Double.toString(seconds), "--warmup", Double.toString(warmup), "--api-key", apiKey));
        Files.createDirectories(log.getParent());
        Files.writeString(log, "== " + label + " " + rate + " req/s\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor((long) (seconds + warmup) + 120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the load driver did not finish; see " + log);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("the load driver failed (exit " + process.exitValue() + "); see " + log);
        }
        String[] lines = new String(out, StandardCharsets.UTF_8).strip().split("\n");
        JsonNode report = new ObjectMapper().readTree(lines[lines.length - 1]);
        System.out.printf("  %-6s %7.0f req/s: p50 %6d µs  p99 %6d µs  p999 %6d µs  errors %d%s  (sent %.0f/s, send lag p99 %d µs)%n",
                label, rate, report.path("p50_us").asLong(), report.path("p99_us").asLong(),
                report.path("p999_us").asLong(), report.path("errors").asLong(),
                report.path("errors").asLong() > 0 ? " " + report.path("error_codes") : "",
                report.path("achieved_rps").asDouble(), report.path("send_lag_p99_us").asLong());
        return report;
    }
}
