package dev.clearance.bench;

import dev.clearance.policy.PolicySnapshot;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.annotations.Mode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the engine benchmarks and records their figures in bench/results.json and BENCHMARKS.md.
 * Usage: {@code EngineReport <repo root>} (bin/bench passes it).
 */
public final class EngineReport {

    private EngineReport() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();

        // Headline: decideBound, the router's request path (a cached caller bound to the current snapshot).
        // decide binds first, as for a caller's first request under a new snapshot: reported beside it.
        Collection<RunResult> throughputs = new Runner(base("EvaluatorBenchmark\\.decideBound$")
                .mode(Mode.Throughput).timeUnit(TimeUnit.SECONDS).build()).run();
        Collection<RunResult> samples = new Runner(base("EvaluatorBenchmark\\.decideBound$")
                .mode(Mode.SampleTime).timeUnit(TimeUnit.NANOSECONDS).build()).run();
        Collection<RunResult> unbound = new Runner(base("EvaluatorBenchmark\\.decide$")
                .param("distinctCallers", "4096")
                .mode(Mode.Throughput).timeUnit(TimeUnit.SECONDS).build()).run();
        RunResult throughput = withCallers(throughputs, "4096");
        RunResult sample = withCallers(samples, "4096");
        RunResult hotThroughput = withCallers(throughputs, "16");
        RunResult hotSample = withCallers(samples, "16");
        double unboundPerSecond = withCallers(unbound, "4096").getPrimaryResult().getScore();
        RunResult compile = single(new Runner(new OptionsBuilder()
                .include(EvaluatorBenchmark.class.getName() + ".compile")
                .mode(Mode.SingleShotTime).timeUnit(TimeUnit.MILLISECONDS)
                .forks(1).warmupIterations(3).measurementIterations(10)
                .jvmArgsAppend("-Xmx2g").build()).run());

        double perSecond = throughput.getPrimaryResult().getScore();
        var stats = sample.getPrimaryResult().getStatistics();
        double p50Micros = stats.getPercentile(50) / 1000.0;
        double p99Micros = stats.getPercentile(99) / 1000.0;
        double p999Micros = stats.getPercentile(99.9) / 1000.0;
        double compileSeconds = compile.getPrimaryResult().getScore() / 1000.0;
        double hotPerSecond = hotThroughput.getPrimaryResult().getScore();
        double hotP99Micros = hotSample.getPrimaryResult().getStatistics().getPercentile(99) / 1000.0;

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("decisions_per_second_single_thread", Math.round(perSecond));
        figures.put("decision_p50_micros", round(p50Micros));
        figures.put("decision_p99_micros", round(p99Micros));
        figures.put("decision_p999_micros", round(p999Micros));
        figures.put("snapshot_compile_seconds", round(compileSeconds));
        figures.put("decisions_per_second_single_thread_16_callers", Math.round(hotPerSecond));
        figures.put("decision_p99_micros_16_callers", round(hotP99Micros));
        figures.put("decisions_per_second_single_thread_unbound", Math.round(unboundPerSecond));
        figures.put("engine_measured_on", java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString());
        Results.merge(root.resolve("bench/results.json"), figures);

        PolicySnapshot snapshot = PolicySnapshot.compile(RealisticPolicy.inputs(1));
        String table = String.join("\n",
                "| figure | value | target |",
                "|---|---|---|",
                "| `decisions_per_second_single_thread` | " + String.format("%,d", Math.round(perSecond)) + " | ≥ 2,000,000 |",
                "| `decision_p50_micros` | " + round(p50Micros) + " | |",
                "| `decision_p99_micros` | " + round(p99Micros) + " | ≤ 5 |",
                "| `decision_p999_micros` | " + round(p999Micros) + " | |",
                "| `snapshot_compile_seconds` | " + round(compileSeconds) + " | ≤ 1 |",
                "| `decisions_per_second_single_thread_16_callers` | " + String.format("%,d", Math.round(hotPerSecond)) + " | (hot callers, for comparison) |",
                "| `decision_p99_micros_16_callers` | " + round(hotP99Micros) + " | (hot callers, for comparison) |",
                "| `decisions_per_second_single_thread_unbound` | " + String.format("%,d", Math.round(unboundPerSecond))
                        + " | (a caller's first decision under a new snapshot: binds it first) |");
        String section = String.join("\n",
                "## Decision engine (JMH)",
                "",
                "Snapshot: " + snapshot.versionIds().size() + " model versions, " + RealisticPolicy.DIRECTIVES
                        + " directives, " + String.format("%,d", RealisticPolicy.GRANTS) + " grants, "
                        + String.format("%,d", RealisticPolicy.ORGANISATIONS) + " organisations with subscriptions, "
                        + RealisticPolicy.LICENCES + " licences (`bench/.../RealisticPolicy.java`, fixed seed). Each "
                        + "decision picks one of 4,096 callers and one of 4,096 requests (versions and aliases, "
                        + "fallback allowed), so fallbacks, carve-outs and shadow directives all occur. The headline "
                        + "figures rotate over 4,096 distinct callers; the `_16_callers` figures over 16, to show how "
                        + "much of a decision is memory latency (cache misses on the caller's entitlements). The "
                        + "headline rows measure `decideBound`: the caller already bound to the snapshot (`BoundCaller`),"
                        + " as the router holds it per cached identity; `_unbound` is `decide`, which binds first, as"
                        + " for a caller's first request after a new snapshot.",
                "",
                "- Command: `bin/bench` (JMH 1.37; 1 fork, 3 × 2 s warm-up, 5 × 2 s measurement, 1 thread)",
                "- " + Results.machine(),
                "",
                table);
        Results.replaceSection(root.resolve("BENCHMARKS.md"), "engine", section);
        System.out.println(table);
    }

    private static OptionsBuilder base(String benchmark) {
        OptionsBuilder b = new OptionsBuilder();
        b.include(EvaluatorBenchmark.class.getName().replace("EvaluatorBenchmark", "") + benchmark)
                .forks(1).threads(1)
                .warmupIterations(3).warmupTime(TimeValue.seconds(2))
                .measurementIterations(5).measurementTime(TimeValue.seconds(2))
                .jvmArgsAppend("-Xmx2g");
        return b;
    }

    private static RunResult withCallers(Collection<RunResult> results, String callers) {
        return results.stream()
                .filter(r -> callers.equals(r.getParams().getParam("distinctCallers")))
                .findFirst().orElseThrow();
    }

    private static RunResult single(Collection<RunResult> results) {
        return results.iterator().next();
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
