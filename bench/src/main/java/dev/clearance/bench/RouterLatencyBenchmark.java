package dev.clearance.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clearance.common.v1.Decision;
import dev.clearance.common.v1.Outcome;
import dev.clearance.common.v1.ReasonCode;
import dev.clearance.entitlement.v1.EnforceDirectiveRequest;
import dev.clearance.entitlement.v1.EnforceDirectiveResponse;
import dev.clearance.entitlement.v1.EntitlementServiceGrpc;
import dev.clearance.router.v1.GenerateResponse;
import dev.clearance.suite.CallerCredentials;
import dev.clearance.suite.RouterClient;
import dev.clearance.suite.ServiceProcess;
import com.google.protobuf.Duration;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Part 1: the router against the limit. The real router (echo backend; identity- and
 * entitlement-service and PostgreSQL behind it; the caller, alice, a verified US citizen with an
 * API key, cached after the first call; a directive on fable in force, which she does not match)
 * versus the bare echo service, both answering Generate for fable-5. Runs alternate the targets
 * (ABBA order), each a fresh open-loop driver process; the figures are the medians over runs.
 * Then step searches for the highest rate each sustains with p99 under 10 ms, alternating too; one
 * search's maximum moved by half between runs of the same code (the bare echo passed 4,000 req/s in one
 * and 6,000 in another), so several are run and their medians compared, as for the latencies.
 */
final class RouterLatencyBenchmark {

    static final long P99_BOUND_MICROS = 10_000;

    record Settings(int runs, double seconds, double rate, double warmup, double stepSeconds, double stepWarmup,
                    double startRps, int maxSteps, int searches) {
    }

    private RouterLatencyBenchmark() {
    }

    static ServiceReport.Measured run(Path home, Settings s) throws Exception {
        try (Fleet fleet = new Fleet(home, "latency")) {
            ServiceProcess identity = fleet.identity();
            ServiceProcess entitlement = fleet.entitlement("entitlement-a", Fleet.ENTITLEMENT_A_GRPC);
            Fleet.inParallel(identity::start, entitlement::start);
            ServiceProcess router = fleet.router("router-1", Fleet.ROUTER_GRPC, Fleet.ENTITLEMENT_A_GRPC, Map.of());
            ServiceProcess bare = fleet.bareEcho();
            Fleet.inParallel(router::start, bare::start);

            EntitlementServiceGrpc.EntitlementServiceBlockingStub policy = fleet.entitlementStub(Fleet.ENTITLEMENT_A_GRPC);
            BenchData data = BenchData.load(fleet.identityStub(), policy);
            BenchData.draftDirective(policy, "d-fable");
            EnforceDirectiveResponse enforced = policy.enforceDirective(EnforceDirectiveRequest.newBuilder()
                    .setName("directives/d-fable").setReason("benchmark: a directive in force")
                    // One officer, enforced at once (emergency): the two-person approval is not what is measured.
                    .setEmergency(true)
                    .setPropagationTimeout(Duration.newBuilder().setSeconds(30)).build());
            BenchData.requireEnforced(enforced);
            Fleet.awaitApplied(policy, enforced.getPolicyRevision(), java.util.Set.of("router-1"));
            checkSetUp(fleet, data, enforced.getPolicyRevision());

            Driver driver = new Driver(fleet.runDirectory().resolve("logs/driver.log"));
            Target routerTarget = new Target("router", Fleet.ROUTER_GRPC);
            Target bareTarget = new Target("bare", Fleet.BARE_ECHO_GRPC);

            System.out.printf("router vs bare echo: %d runs x %.0f s at %.0f req/s each (warm-up %.0f s per run)%n",
                    s.runs(), s.seconds(), s.rate(), s.warmup());
            List<JsonNode> routerRuns = new ArrayList<>();
            List<JsonNode> bareRuns = new ArrayList<>();
            for (int i = 0; i < s.runs(); i++) {
                // ABBA: neither target always runs first (the machine drifts during a benchmark).
                boolean bareFirst = i % 2 == 0;
                for (Target t : bareFirst ? List.of(bareTarget, routerTarget) : List.of(routerTarget, bareTarget)) {
                    JsonNode r = driver.run(t.label, t.port, data.aliceKey, s.rate(), s.seconds(), s.warmup());
                    (t == routerTarget ? routerRuns : bareRuns).add(r);
                }
            }
            double routerP50 = median(routerRuns, "p50_us");
            double routerP99 = median(routerRuns, "p99_us");
            double bareP50 = median(bareRuns, "p50_us");
            double bareP99 = median(bareRuns, "p99_us");
            long routerErrors = sum(routerRuns, "errors");
            long bareErrors = sum(bareRuns, "errors");

            System.out.printf("highest rate with p99 < %d ms: %d step searches from %.0f req/s, %.0f s per step, at most %d "
                    + "steps per target%n", P99_BOUND_MICROS / 1000, s.searches(), s.startRps(), s.stepSeconds(), s.maxSteps());
            List<StepSearch> routerSearches = new ArrayList<>();
            List<StepSearch> bareSearches = new ArrayList<>();
            int round = 0;
            for (int n = 0; n < s.searches(); n++) {
                StepSearch routerSearch = new StepSearch(s.startRps(), s.maxSteps());
                StepSearch bareSearch = new StepSearch(s.startRps(), s.maxSteps());
                while (!routerSearch.done() || !bareSearch.done()) {
                    List<Target> order = round++ % 2 == 0 ? List.of(bareTarget, routerTarget) : List.of(routerTarget, bareTarget);
                    for (Target t : order) {
                        StepSearch search = t == routerTarget ? routerSearch : bareSearch;
                        if (!search.done()) {
                            double rate = search.next();
                            JsonNode r = driver.run(t.label, t.port, data.aliceKey, rate, s.stepSeconds(), s.stepWarmup());
                            search.record(rate, sustained(r, rate), r);
                        }
                    }
                }
                System.out.printf("  search %d: router %.0f, bare %.0f req/s%n", n + 1, routerSearch.highestSustained(),
                        bareSearch.highestSustained());
                routerSearches.add(routerSearch);
                bareSearches.add(bareSearch);
            }
            long routerMax = Math.round(medianMax(routerSearches));
            long bareMax = Math.round(medianMax(bareSearches));

            Map<String, Object> f = new LinkedHashMap<>();
            f.put("router_vs_bare_p50_ratio", round(routerP50 / bareP50));
            f.put("router_vs_bare_p99_ratio", round(routerP99 / bareP99));
            f.put("router_p50_micros_at_rate", Math.round(routerP50));
            f.put("router_p99_micros_at_rate", Math.round(routerP99));
            f.put("bare_p50_micros_at_rate", Math.round(bareP50));
            f.put("bare_p99_micros_at_rate", Math.round(bareP99));
            f.put("router_latency_errors", routerErrors);
            f.put("bare_latency_errors", bareErrors);
            f.put("router_latency_rate", s.rate());
            f.put("router_latency_runs", s.runs());
            f.put("router_latency_run_seconds", s.seconds());
            f.put("router_max_rps", routerMax);
            f.put("bare_max_rps", bareMax);
            f.put("router_vs_bare_max_rps_ratio", bareMax == 0 ? 0 : round((double) routerMax / bareMax));
            f.put("max_rps_step_seconds", s.stepSeconds());
            f.put("max_rps_searches", s.searches());
            f.put("router_latency_measured_on", ServiceReport.today());

            String section = section(s, routerRuns, bareRuns, routerSearches, bareSearches, f);
            return new ServiceReport.Measured(f, section);
        }
    }

    /** Before measuring: the router serves alice fable-5 and refuses bogdan under the directive; the bare echo answers. */
    private static void checkSetUp(Fleet fleet, BenchData data, long revision) {
        RouterClient alice = new RouterClient(fleet.channel(Fleet.ROUTER_GRPC), CallerCredentials.apiKey(data.aliceKey));
        RouterClient bogdan = new RouterClient(fleet.channel(Fleet.ROUTER_GRPC), CallerCredentials.apiKey(data.bogdanKey));
        GenerateResponse served = alice.generate(BenchData.MODEL, true);
        require(served.getDecision().getOutcome() == Outcome.OUTCOME_ALLOW && BenchData.MODEL.equals(served.getServedModel())
                && served.getDecision().getPolicyRevision() >= revision, "alice is served fable-5: " + served.getDecision());
        Decision refused = bogdan.explain(BenchData.MODEL, true);
        require(refused.getOutcome() == Outcome.OUTCOME_DENY && refused.getReasons(0).getCode() == ReasonCode.REASON_CODE_DIRECTIVE,
                "the directive is in force (bogdan refused): " + refused);
        RouterClient bare = new RouterClient(fleet.channel(Fleet.BARE_ECHO_GRPC), CallerCredentials.apiKey(data.aliceKey));
        require(bare.generate(BenchData.MODEL, true).getServedModel().equals(BenchData.MODEL), "the bare echo answers");
    }

    static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("benchmark set-up is wrong: " + what);
        }
    }

    /** A step passes when every call succeeded, p99 stayed under the bound and the driver kept the rate. */
    static boolean sustained(JsonNode r, double rate) {
        return r.path("errors").asLong() == 0 && r.path("p99_us").asLong() < P99_BOUND_MICROS
                && r.path("achieved_rps").asDouble() >= 0.95 * rate;
    }

    private record Target(String label, int port) {
    }

    /** Doubles from the start rate until a step fails, then bisects between the last pass and the first failure. */
    static final class StepSearch {
        private final int maxSteps;
        private double passed;
        private double failed = Double.POSITIVE_INFINITY;
        private double next;
        private int steps;
        final List<String> trace = new ArrayList<>();

        StepSearch(double start, int maxSteps) {
            this.next = start;
            this.maxSteps = maxSteps;
        }

        double next() {
            return next;
        }

        void record(double rate, boolean ok, JsonNode r) {
            steps++;
            trace.add(String.format("%,.0f %s (p99 %.1f ms%s)", rate, ok ? "✓" : "✗", r.path("p99_us").asLong() / 1000.0,
                    r.path("errors").asLong() > 0 ? ", " + r.path("errors").asLong() + " errors" : ""));
            if (ok) {
                passed = Math.max(passed, rate);
            } else {
                failed = Math.min(failed, rate);
            }
            next = Double.isInfinite(failed) ? rate * 2 : Math.round((passed + failed) / 2 / 50) * 50.0;
        }

        boolean done() {
            return steps >= maxSteps
                    || (!Double.isInfinite(failed) && failed - passed <= Math.max(100, 0.05 * passed));
        }

        double highestSustained() {
            return passed;
        }
    }

    private static String section(Settings s, List<JsonNode> routerRuns, List<JsonNode> bareRuns,
                                  List<StepSearch> routerSearches, List<StepSearch> bareSearches, Map<String, Object> f) {
        StringBuilder runs = new StringBuilder("| run | bare p50 / p99 / p999 (µs) | router p50 / p99 / p999 (µs) |\n|---|---|---|\n");
        for (int i = 0; i < routerRuns.size(); i++) {
            runs.append("| ").append(i + 1).append(" | ").append(triple(bareRuns.get(i))).append(" | ")
                    .append(triple(routerRuns.get(i))).append(" |\n");
        }
        StringBuilder searches = new StringBuilder();
        for (int i = 0; i < routerSearches.size(); i++) {
            double router = routerSearches.get(i).highestSustained();
            double bare = bareSearches.get(i).highestSustained();
            searches.append("- search ").append(i + 1).append(String.format(": router %,.0f, bare %,.0f req/s (ratio %.3f)%n",
                            router, bare, bare == 0 ? 0 : router / bare))
                    .append("  - bare: ").append(String.join(", ", bareSearches.get(i).trace)).append('\n')
                    .append("  - router: ").append(String.join(", ", routerSearches.get(i).trace)).append('\n');
        }
        return String.join("\n",
                "## Router against a bare gRPC echo service",
                "",
                "Both targets are Quarkus gRPC processes answering `ModelRouterService.Generate` for fable-5 with a",
                "response of the same shape. The bare echo service (`bench/echo-service`) does nothing else. The router",
                "authenticates the API key (alice, a verified US citizen, cached after the first call), decides against",
                "its snapshot with a directive on fable in force (which she does not match), logs the decision and calls",
                "its echo backend; identity-service, entitlement-service and an embedded PostgreSQL run beside it.",
                "The load driver (`LoadDriver`) is its own JVM per run: open loop at a fixed rate, latency from the",
                "intended send time (HdrHistogram), a warm-up per run that is not recorded. Runs alternate the targets",
                "(ABBA); the ratios compare medians over runs. Everything shares the machine's cores.",
                "",
                "- Command: `" + ServiceReport.command() + "`",
                "- " + Results.machine(),
                "- Service JVMs: `" + String.join(" ", Fleet.SERVICE_JVM) + "`; driver JVM: `" + String.join(" ", Driver.JVM) + "`",
                "",
                "| figure | value | target |",
                "|---|---|---|",
                "| `router_vs_bare_p50_ratio` | " + f.get("router_vs_bare_p50_ratio") + " | ≤ 1.25 |",
                "| `router_vs_bare_p99_ratio` | " + f.get("router_vs_bare_p99_ratio") + " | ≤ 2 |",
                "| `router_max_rps` | " + String.format("%,d", (long) f.get("router_max_rps")) + " | |",
                "| `bare_max_rps` | " + String.format("%,d", (long) f.get("bare_max_rps")) + " | |",
                "| `router_vs_bare_max_rps_ratio` | " + f.get("router_vs_bare_max_rps_ratio") + " | ≥ 0.8 |",
                "| median p50 / p99 at " + String.format("%,.0f", s.rate()) + " req/s, router | " + f.get("router_p50_micros_at_rate")
                        + " / " + f.get("router_p99_micros_at_rate") + " µs | |",
                "| median p50 / p99 at " + String.format("%,.0f", s.rate()) + " req/s, bare | " + f.get("bare_p50_micros_at_rate")
                        + " / " + f.get("bare_p99_micros_at_rate") + " µs | |",
                "| errors (router, bare) | " + f.get("router_latency_errors") + ", " + f.get("bare_latency_errors") + " | 0 |",
                "",
                runs.toString().stripTrailing(),
                "",
                "Step searches (p99 < 10 ms, no errors, rate kept; " + String.format("%.0f", s.stepSeconds()) + " s per step);"
                        + " `router_max_rps` and `bare_max_rps` are the medians of the searches' maxima:",
                "",
                searches.toString().stripTrailing());
    }

    private static double medianMax(List<StepSearch> searches) {
        return median(searches.stream().mapToDouble(StepSearch::highestSustained).toArray());
    }

    private static String triple(JsonNode r) {
        return r.path("p50_us").asLong() + " / " + r.path("p99_us").asLong() + " / " + r.path("p999_us").asLong()
                + (r.path("errors").asLong() > 0 ? " (" + r.path("errors").asLong() + " errors)" : "");
    }

    static double median(List<JsonNode> runs, String field) {
        return median(runs.stream().mapToDouble(r -> r.path(field).asDouble()).toArray());
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static long sum(List<JsonNode> runs, String field) {
        return runs.stream().mapToLong(r -> r.path(field).asLong()).sum();
    }

    static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
