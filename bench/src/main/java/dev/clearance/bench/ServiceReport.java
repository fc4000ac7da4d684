package dev.clearance.bench;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * Runs the service benchmarks and records each part's figures in bench/results.json (merged) and
 * its own section of BENCHMARKS.md. Usage: {@code ServiceReport <repo root> [options]} (bin/bench
 * passes the root). Options, defaults being the full run:
 * <pre>
 *   --parts latency,propagation,memory
 *   --runs 5 --seconds 20 --rate 500 --warmup 5          router vs bare echo at a fixed rate
 *   --step-seconds 10 --step-warmup 3 --start-rps 1000 --max-steps 8 --searches 3   highest sustained rate
 *   --repetitions 100 --warmup-repetitions 800            propagation
 *   --identities 100000 --sample 1000                    router memory
 * </pre>
 */
public final class ServiceReport {

    /** One part's figures and its BENCHMARKS.md section. */
    record Measured(Map<String, Object> figures, String section) {
    }

    private static String command = "bin/bench services";

    private ServiceReport() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        String[] rest = args.length > 0 ? java.util.Arrays.copyOfRange(args, 1, args.length) : args;
        if (rest.length > 0) {
            command = "bin/bench services " + String.join(" ", rest);
        }
        Map<String, String> o = Options.parse(rest);
        List<String> parts = List.of(o.getOrDefault("parts", "latency,propagation,memory").split(","));
        for (String part : parts) {
            long started = System.nanoTime();
            String loadBefore = loadAverage();
            Measured m = switch (part.trim()) {
                case "latency" -> RouterLatencyBenchmark.run(root, new RouterLatencyBenchmark.Settings(
                        integer(o, "runs", 5), number(o, "seconds", 20), number(o, "rate", 500), number(o, "warmup", 5),
                        number(o, "step-seconds", 10), number(o, "step-warmup", 3), number(o, "start-rps", 1000),
                        integer(o, "max-steps", 8), integer(o, "searches", 3)));
                case "propagation" -> PropagationBenchmark.run(root, new PropagationBenchmark.Settings(
                        integer(o, "repetitions", 100), integer(o, "warmup-repetitions", 800)));
                case "memory" -> RouterMemoryBenchmark.run(root, new RouterMemoryBenchmark.Settings(
                        integer(o, "identities", 100_000), integer(o, "sample", 1000)));
                default -> throw new IllegalArgumentException("unknown part " + part + " (latency, propagation, memory)");
            };
            Results.merge(root.resolve("bench/results.json"), m.figures());
            Results.replaceSection(root.resolve("BENCHMARKS.md"), "services-" + part.trim(), m.section()
                    + "\n\n(This part took " + Math.round((System.nanoTime() - started) / 1e9) + " s; load average "
                    + loadBefore + " at its start, " + loadAverage() + " at its end.)");
            System.out.println(m.figures());
        }
    }

    static String command() {
        return command;
    }

    /** The 1-, 5- and 15-minute load averages now: these machines are shared, so every section says how busy it was. */
    static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    static String today() {
        return LocalDate.now(ZoneOffset.UTC).toString();
    }

    private static int integer(Map<String, String> o, String name, int fallback) {
        return o.containsKey(name) ? Integer.parseInt(o.get(name)) : fallback;
    }

    private static double number(Map<String, String> o, String name, double fallback) {
        return o.containsKey(name) ? Double.parseDouble(o.get(name)) : fallback;
    }
}
