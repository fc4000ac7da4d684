package dev.clearance.bench;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import dev.clearance.common.v1.Decision;
import dev.clearance.common.v1.Outcome;
import dev.clearance.entitlement.v1.EnforceDirectiveRequest;
import dev.clearance.entitlement.v1.EnforceDirectiveResponse;
import dev.clearance.entitlement.v1.EntitlementServiceGrpc;
import dev.clearance.entitlement.v1.GetPolicySnapshotRequest;
import dev.clearance.entitlement.v1.PropagationStatus;
import dev.clearance.entitlement.v1.RevokeDirectiveRequest;
import dev.clearance.entitlement.v1.RouterPropagation;
import dev.clearance.suite.CallerCredentials;
import dev.clearance.suite.RouterClient;
import dev.clearance.suite.ServiceProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Part 2: how long until every router enforces a directive. Three routers and two
 * entitlement-service replicas, each its own JVM (router-1 watches replica A, router-2 and
 * router-3 watch replica B), identity-service and an embedded PostgreSQL. Each repetition creates
 * a draft directive (foreign persons may not use fable-5) and waits until every router holds it,
 * then enforces it through replica A with a propagation timeout, measures, and revokes it (and
 * waits until every router applied the revocation) before the next.
 *
 * <p>Two measurements per repetition, both from the moment just before the enforce call is sent:
 * <ul>
 *   <li>acknowledgements: the latest per-router apply time in EnforceDirective's propagation
 *       (the routers' clocks; one machine, so one clock);</li>
 *   <li>probes: one thread per router calls ExplainAccess for fable-5 as bogdan (a foreign
 *       person) in a loop with a 1 ms pause; the time the last router first answers DENY naming
 *       the directive (this process's monotonic clock).</li>
 * </ul>
 */
final class PropagationBenchmark {

    private static final List<String> ROUTERS = List.of("router-1", "router-2", "router-3");
    /** The cold figures: this many repetitions from the fleet's start. */
    private static final int COLD_REPETITIONS = 100;
    private static final int TREND_BLOCK = 100;
    /** Between two probes of one router; {@code -Dclearance.bench.probe-pause-ms=0} probes in a tight loop. */
    static final long PROBE_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(Long.getLong("clearance.bench.probe-pause-ms", 1));

    record Settings(int repetitions, int warmupRepetitions) {
    }

    private PropagationBenchmark() {
    }

    static ServiceReport.Measured run(Path home, Settings s) throws Exception {
        try (Fleet fleet = new Fleet(home, "propagation")) {
            ServiceProcess identity = fleet.identity();
            ServiceProcess replicaA = fleet.entitlement("entitlement-a", Fleet.ENTITLEMENT_A_GRPC);
            ServiceProcess replicaB = fleet.entitlement("entitlement-b", Fleet.ENTITLEMENT_B_GRPC);
            // Replica A migrates the schema alone; B starts against the migrated one.
            Fleet.inParallel(identity::start, replicaA::start);
            ServiceProcess r1 = fleet.router("router-1", Fleet.ROUTER_GRPC, Fleet.ENTITLEMENT_A_GRPC, Map.of());
            ServiceProcess r2 = fleet.router("router-2", Fleet.ROUTER_2_GRPC, Fleet.ENTITLEMENT_B_GRPC, Map.of());
            ServiceProcess r3 = fleet.router("router-3", Fleet.ROUTER_3_GRPC, Fleet.ENTITLEMENT_B_GRPC, Map.of());
            Fleet.inParallel(replicaB::start, r1::start, r2::start, r3::start);

            EntitlementServiceGrpc.EntitlementServiceBlockingStub a = fleet.entitlementStub(Fleet.ENTITLEMENT_A_GRPC);
            BenchData data = BenchData.load(fleet.identityStub(), a);
            long loaded = a.getPolicySnapshot(GetPolicySnapshotRequest.getDefaultInstance()).getSnapshot().getRevision();
            Fleet.awaitApplied(a, loaded, Set.copyOf(ROUTERS));
            List<RouterClient> probes = new ArrayList<>();
            for (int port : new int[] {Fleet.ROUTER_GRPC, Fleet.ROUTER_2_GRPC, Fleet.ROUTER_3_GRPC}) {
                RouterClient bogdan = new RouterClient(fleet.channel(port), CallerCredentials.apiKey(data.bogdanKey));
                RouterLatencyBenchmark.require(bogdan.explain(BenchData.MODEL, true).getOutcome() == Outcome.OUTCOME_ALLOW,
                        "bogdan may use fable-5 before any directive");
                probes.add(bogdan);
            }

            System.out.printf("propagation: %d repetitions (+%d warm-up), 3 routers, 2 replicas%n",
                    s.repetitions(), s.warmupRepetitions());
            // Every repetition from the fleet's start, warm-up included: the measured ones are the last
            // s.repetitions(); the first ones give the cold figures, all of them the trend.
            double[] allAck = new double[s.warmupRepetitions() + s.repetitions()];
            double[] allProbed = new double[allAck.length];
            List<Double> compiling = new ArrayList<>();
            CompilerCpu compilers = new CompilerCpu(List.of(Fleet.processOf(identity), Fleet.processOf(replicaA),
                    Fleet.processOf(replicaB), Fleet.processOf(r1), Fleet.processOf(r2), Fleet.processOf(r3),
                    ProcessHandle.current()));
            int incomplete = 0;
            List<String> timeline = new ArrayList<>(List.of("directive,revision,sent_at,enforce_returned_ms,"
                    + String.join(",", ROUTERS.stream().map(r -> r + "_applied_ms").toList()) + ","
                    + String.join(",", ROUTERS.stream().map(r -> r + "_denied_ms").toList()) + ","
                    + String.join(",", ROUTERS.stream().map(r -> r + "_probes").toList())));
            for (int i = -s.warmupRepetitions(); i < s.repetitions(); i++) {
                Repetition r = repetition(a, probes, "prop-" + (i + s.warmupRepetitions()), timeline);
                allAck[i + s.warmupRepetitions()] = r.ackMillis;
                allProbed[i + s.warmupRepetitions()] = r.probeMillis;
                int done = i + s.warmupRepetitions() + 1;
                if (done % TREND_BLOCK == 0 || done == allAck.length) {
                    compiling.add(compilers.percentOfOneCoreSinceLast());
                }
                if (i >= 0) {
                    if (!r.complete) {
                        incomplete++;
                    }
                    if (i % 10 == 0 || i == s.repetitions() - 1) {
                        System.out.printf("  repetition %3d: acknowledged %.1f ms, probed %.1f ms%n", i + 1, r.ackMillis, r.probeMillis);
                    }
                }
            }
            // Per repetition, for reading beside the services' logs (their per-revision stage timings).
            Path timelineFile = fleet.runDirectory().resolve("propagation-timeline.csv");
            Files.write(timelineFile, timeline);
            System.out.println("  per-repetition timeline: " + timelineFile);
            double[] ack = sorted(allAck, s.warmupRepetitions(), allAck.length);
            double[] probed = sorted(allProbed, s.warmupRepetitions(), allProbed.length);
            Map<String, Object> f = new LinkedHashMap<>();
            double p99 = Math.max(percentile(ack, 99), percentile(probed, 99));
            f.put("propagation_p99_ms", round(p99));
            f.put("propagation_ack_p50_ms", round(percentile(ack, 50)));
            f.put("propagation_ack_p99_ms", round(percentile(ack, 99)));
            f.put("propagation_ack_max_ms", round(ack[ack.length - 1]));
            f.put("propagation_probe_p50_ms", round(percentile(probed, 50)));
            f.put("propagation_probe_p99_ms", round(percentile(probed, 99)));
            f.put("propagation_probe_max_ms", round(probed[probed.length - 1]));
            f.put("propagation_repetitions", s.repetitions());
            f.put("propagation_warmup_repetitions", s.warmupRepetitions());
            f.put("propagation_incomplete", incomplete);
            // The same figure over the first repetitions after the fleet started (fresh JVMs), for comparison.
            int cold = Math.min(COLD_REPETITIONS, allAck.length);
            double[] coldAck = sorted(allAck, 0, cold);
            double[] coldProbed = sorted(allProbed, 0, cold);
            f.put("propagation_cold_repetitions", cold);
            f.put("propagation_cold_ack_p99_ms", round(percentile(coldAck, 99)));
            f.put("propagation_cold_probe_p99_ms", round(percentile(coldProbed, 99)));
            f.put("propagation_cold_p99_ms", round(Math.max(percentile(coldAck, 99), percentile(coldProbed, 99))));
            f.put("propagation_measured_on", ServiceReport.today());
            return new ServiceReport.Measured(f, section(f, s.warmupRepetitions(), trend(allAck, allProbed, compiling, s.warmupRepetitions())));
        }
    }

    private record Repetition(double ackMillis, double probeMillis, boolean complete) {
    }

    private static Repetition repetition(EntitlementServiceGrpc.EntitlementServiceBlockingStub a,
                                         List<RouterClient> probes, String id, List<String> timeline)
            throws InterruptedException {
        String name = "directives/" + id;
        BenchData.draftDirective(a, id);
        long drafted = a.getPolicySnapshot(GetPolicySnapshotRequest.getDefaultInstance()).getSnapshot().getRevision();
        Fleet.awaitApplied(a, drafted, Set.copyOf(ROUTERS));

        long[] firstDenied = new long[probes.size()];
        int[] probeCalls = new int[probes.size()];
        CountDownLatch probing = new CountDownLatch(probes.size());
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < probes.size(); p++) {
            int index = p;
            RouterClient probe = probes.get(p);
            Thread t = new Thread(() -> {
                boolean first = true;
                while (System.nanoTime() < giveUp) {
                    Decision d;
                    try {
                        d = probe.explain(BenchData.MODEL, true);
                    } catch (RuntimeException e) {
                        continue;   // a failed probe proves nothing either way; ask again
                    }
                    long now = System.nanoTime();
                    probeCalls[index]++;
                    if (d.getOutcome() == Outcome.OUTCOME_DENY && d.getReasonsCount() > 0
                            && name.equals(d.getReasons(0).getDirective())) {
                        firstDenied[index] = now;
                        break;
                    }
                    if (first) {
                        probing.countDown();    // this router is being probed: the enforce may be sent
                        first = false;
                    }
                    // Three callers in a tight loop kept both cores busy and slowed what they measure;
                    // a 1 ms pause costs at most that much resolution.
                    LockSupport.parkNanos(PROBE_PAUSE_NANOS);
                }
                if (first) {
                    probing.countDown();
                }
            }, "probe-" + p);
            t.start();
            threads.add(t);
        }
        probing.await();

        Instant sentAt = Instant.now();
        long sentNanos = System.nanoTime();
        EnforceDirectiveResponse enforced = a.enforceDirective(EnforceDirectiveRequest.newBuilder()
                .setName(name).setReason("propagation benchmark")
                // One officer, enforced at once (emergency): the two-person approval is not what is measured.
                .setEmergency(true)
                .setPropagationTimeout(Duration.newBuilder().setSeconds(10)).build());
        BenchData.requireEnforced(enforced);
        for (Thread t : threads) {
            t.join();
        }
        PropagationStatus propagation = enforced.getPropagation();
        double ackMillis = 0;
        int acknowledged = 0;
        for (RouterPropagation r : propagation.getRoutersList()) {
            if (ROUTERS.contains(r.getRouterId()) && r.getApplied()) {
                acknowledged++;
                ackMillis = Math.max(ackMillis, millisBetween(sentAt, r.getApplyTime()));
            }
        }
        boolean complete = propagation.getComplete() && acknowledged == ROUTERS.size();
        double probeMillis = 0;
        for (long t : firstDenied) {
            probeMillis = Math.max(probeMillis, t == 0 ? 30_000 : (t - sentNanos) / 1e6);
        }
        if (!complete) {
            ackMillis = 10_000;
        }

        long returnedNanos = System.nanoTime();
        StringBuilder line = new StringBuilder().append(id).append(',').append(enforced.getPolicyRevision()).append(',')
                .append(sentAt).append(',').append(String.format("%.1f", (returnedNanos - sentNanos) / 1e6));
        for (String router : ROUTERS) {
            double applied = propagation.getRoutersList().stream().filter(r -> r.getRouterId().equals(router) && r.getApplied())
                    .mapToDouble(r -> millisBetween(sentAt, r.getApplyTime())).findFirst().orElse(-1);
            line.append(',').append(String.format("%.1f", applied));
        }
        for (long t : firstDenied) {
            line.append(',').append(String.format("%.1f", t == 0 ? -1 : (t - sentNanos) / 1e6));
        }
        for (int calls : probeCalls) {
            line.append(',').append(calls);
        }
        timeline.add(line.toString());

        long revoked = a.revokeDirective(RevokeDirectiveRequest.newBuilder().setName(name)
                .setReason("propagation benchmark: next repetition").build()).getPolicyRevision();
        Fleet.awaitApplied(a, revoked, Set.copyOf(ROUTERS));
        return new Repetition(ackMillis, probeMillis, complete);
    }

    private static double[] sorted(double[] values, int from, int to) {
        double[] part = Arrays.copyOfRange(values, from, to);
        Arrays.sort(part);
        return part;
    }

    /** Per block of repetitions from the fleet's start: how the figures settle while the JVMs warm up. */
    private static List<String> trend(double[] ack, double[] probed, List<Double> compiling, int warmup) {
        List<String> rows = new ArrayList<>(List.of("| repetitions | | acknowledged p50 | acknowledged p99 | probed p50 "
                        + "| probed p99 | JIT compilers (% of one core) |",
                "|---|---|---|---|---|---|---|"));
        for (int from = 0; from < ack.length; from += TREND_BLOCK) {
            int to = Math.min(ack.length, from + TREND_BLOCK);
            double[] a = sorted(ack, from, to);
            double[] p = sorted(probed, from, to);
            String kind = to <= warmup ? "warm-up" : from >= warmup ? "measured" : "warm-up / measured";
            rows.add("| " + (from + 1) + "–" + to + " | " + kind + " | " + round(percentile(a, 50)) + " | "
                    + round(percentile(a, 99)) + " | " + round(percentile(p, 50)) + " | " + round(percentile(p, 99)) + " | "
                    + Math.round(compiling.get(from / TREND_BLOCK)) + " |");
        }
        return rows;
    }

    private static double millisBetween(Instant from, Timestamp to) {
        return ((to.getSeconds() - from.getEpochSecond()) * 1_000_000_000L + (to.getNanos() - from.getNano())) / 1e6;
    }

    /** Nearest rank on sorted values. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double round(double v) {
        return Math.round(v * 10.0) / 10.0;
    }

    private static String section(Map<String, Object> f, int warmup, List<String> trend) {
        List<String> lines = new ArrayList<>(List.of(
                "## Propagation: 3 routers, 2 entitlement-service replicas",
                "",
                "Each its own JVM: router-1 watches replica A, router-2 and router-3 watch replica B; identity-service",
                "and an embedded PostgreSQL beside them. Per repetition a fresh draft directive (foreign persons may not",
                "use fable-5) reaches every router, then it is enforced through replica A (propagation timeout 10 s),",
                "measured, and revoked (every router applies the revocation) before the next. Both clocks start just",
                "before the EnforceDirective call is sent. *Acknowledged*: the latest per-router apply time in the",
                "response's propagation status. *Probed*: one thread per router calls ExplainAccess for fable-5 as a",
                "foreign person in a loop with a 1 ms pause (a tight loop of three callers kept both cores busy and",
                "slowed what it measured); the moment the last router first answers DENY naming the directive.",
                "",
                "**Warm-up.** " + warmup + " unmeasured repetitions first. The services are fresh JVMs, seven of them with",
                "this benchmark on two cores, and at its low request rate their JIT compilers keep working for minutes;",
                "the table at the end shows, per " + TREND_BLOCK + " repetitions from the fleet's start, the figures and how much",
                "CPU the compiler threads of all those JVMs used (from /proc). A deployed fleet runs for days, each",
                "service on its own cores, so the measured figure is the warm one; the cold one, over the first "
                        + f.get("propagation_cold_repetitions"),
                "repetitions after the fleet started, is",
                "`propagation_cold_p99_ms` = " + f.get("propagation_cold_p99_ms") + " (acknowledged "
                        + f.get("propagation_cold_ack_p99_ms") + ", probed " + f.get("propagation_cold_probe_p99_ms") + ").",
                "",
                "- Command: `" + ServiceReport.command() + "`",
                "- " + Results.machine(),
                "- Service JVMs: `" + String.join(" ", Fleet.SERVICE_JVM) + "`",
                "- Per repetition, warm-up rows first (sent time, the enforce answer, each router's apply and first refusal, probe calls):",
                "  `propagation-timeline.csv` in the run's directory under `bench/target/services/`, beside the services' logs",
                "",
                "| figure | acknowledged | probed | target |",
                "|---|---|---|---|",
                "| p50 (ms) | " + f.get("propagation_ack_p50_ms") + " | " + f.get("propagation_probe_p50_ms") + " | |",
                "| p99 (ms) | " + f.get("propagation_ack_p99_ms") + " | " + f.get("propagation_probe_p99_ms") + " | ≤ 100 |",
                "| max (ms) | " + f.get("propagation_ack_max_ms") + " | " + f.get("propagation_probe_max_ms") + " | |",
                "",
                "`propagation_p99_ms` = " + f.get("propagation_p99_ms") + " (the larger p99 of the two methods) over "
                        + f.get("propagation_repetitions") + " repetitions; enforce calls whose propagation was not complete"
                        + " within 10 s: " + f.get("propagation_incomplete") + ".",
                "",
                "From the fleet's start, per " + TREND_BLOCK + " repetitions (ms):",
                ""));
        lines.addAll(trend);
        return String.join("\n", lines);
    }
}
