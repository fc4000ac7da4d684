package dev.clearance.bench;

import dev.clearance.router.v1.ExplainAccessRequest;
import dev.clearance.router.v1.ExplainAccessResponse;
import dev.clearance.router.v1.ModelRouterServiceGrpc;
import dev.clearance.suite.CallerCredentials;
import dev.clearance.suite.RouterClient;
import dev.clearance.suite.ServiceProcess;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Part 3: the router's resident memory with 100,000 distinct identities cached. The identities
 * are seeded by SQL straight into identity-service's schema (after its migrations ran): one
 * person per identity in organisation acme, each with a person-bound API key whose secret is
 * derived from its number ({@link #secret}), so 100,000 keys cost one statement instead of
 * 100,000 CreateApiKey calls. Benchmark data only: these secrets have no entropy.
 *
 * <p>The router runs with its caller cache sized for them ({@code identity-cache-size}) and a TTL
 * and staleness bound longer than the benchmark, with the identity change watcher on as in
 * production (it empties the cache only once a stream's first message arrives, so stopping
 * identity-service below does not drop the cache). Every key is presented once (ExplainAccess, bounded concurrency; keys whose
 * resolution failed are presented again, at most three passes), the router settles, and VmRSS is
 * read from /proc. Then identity-service
 * is stopped and a random sample of the keys is presented again: each answered call proves its
 * identity was served from the cache.
 */
final class RouterMemoryBenchmark {

    record Settings(int identities, int sample) {
    }

    private static final int CONCURRENCY = 32;

    private RouterMemoryBenchmark() {
    }

    static ServiceReport.Measured run(Path home, Settings s) throws Exception {
        try (Fleet fleet = new Fleet(home, "memory")) {
            ServiceProcess identity = fleet.identity();
            ServiceProcess entitlement = fleet.entitlement("entitlement-a", Fleet.ENTITLEMENT_A_GRPC);
            Fleet.inParallel(identity::start, entitlement::start);
            Map<String, String> cache = new TreeMap<>(Map.of(
                    "clearance.router.identity-cache-size", Integer.toString(s.identities()),
                    "clearance.router.identity-cache-ttl", "6h",
                    "clearance.router.identity-max-staleness", "6h",
                    // Filling is a burst of cache misses on a shared machine: resolutions may queue.
                    "clearance.router.identity-deadline", "30s"));
            ServiceProcess router = fleet.router("router-1", Fleet.ROUTER_GRPC, Fleet.ENTITLEMENT_A_GRPC, cache);
            router.start();
            BenchData data = BenchData.load(fleet.identityStub(), fleet.entitlementStub(Fleet.ENTITLEMENT_A_GRPC));

            long seedStart = System.nanoTime();
            seed(fleet, s.identities());
            System.out.printf("memory: seeded %,d persons with API keys in %.1f s%n", s.identities(),
                    (System.nanoTime() - seedStart) / 1e9);

            ProcessHandle routerProcess = Fleet.processOf(router);
            // A few hundred calls by one caller: the request path is loaded and compiled before the baseline.
            RouterClient alice = new RouterClient(fleet.channel(Fleet.ROUTER_GRPC), CallerCredentials.apiKey(data.aliceKey));
            for (int i = 0; i < 500; i++) {
                alice.explain(BenchData.MODEL, true);
            }
            Fleet.sleep(3000);
            double baseline = Fleet.residentMiB(routerProcess);

            ManagedChannel channel = fleet.channel(Fleet.ROUTER_GRPC);
            long fillStart = System.nanoTime();
            int[] keys = java.util.stream.IntStream.rangeClosed(1, s.identities()).toArray();
            long answered = 0;
            // A resolution that failed (a deadline on a busy machine) is not cached: present those keys again.
            for (int pass = 1; pass <= 3 && keys.length > 0; pass++) {
                Presented p = present(channel, keys);
                answered += p.answered();
                System.out.printf("memory: pass %d presented %,d keys (%,d answered, %,d failed)%n", pass, keys.length,
                        p.answered(), p.failed().length);
                keys = p.failed();
            }
            double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
            Fleet.sleep(5000);
            double resident = Fleet.residentMiB(routerProcess);

            identity.stop();
            SplittableRandom random = new SplittableRandom(42);
            long cached = present(channel, random.ints(s.sample(), 1, s.identities() + 1).toArray()).answered();
            System.out.printf("memory: router RSS %.0f MiB before, %.0f MiB with %,d identities; with identity-service"
                    + " stopped %,d of %,d sampled keys still answered from the cache%n", baseline, resident,
                    s.identities(), cached, s.sample());

            Map<String, Object> f = new LinkedHashMap<>();
            // The headline key only for the full 100,000; a shorter run says how many it held.
            f.put(s.identities() == 100_000 ? "router_rss_mb_100k_identities"
                    : "router_rss_mb_" + s.identities() + "_identities", Math.round(resident));
            f.put("router_rss_mb_before_identities", Math.round(baseline));
            f.put("router_memory_identities", s.identities());
            f.put("router_memory_identities_answered", answered);
            f.put("router_memory_cached_sample", cached);
            f.put("router_memory_sample", s.sample());
            f.put("router_memory_measured_on", ServiceReport.today());
            return new ServiceReport.Measured(f, section(f, cache, fillSeconds));
        }
    }

    /** The benchmark secret of identity {@code n}: {@code clr_b<7 digits>_<md5 hex of "bench-n">bench000000}. */
    static String secret(int n) {
        try {
            String body = HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                    .digest(("bench-" + n).getBytes(StandardCharsets.UTF_8)));
            return "clr_" + prefix(n) + "_" + body + "bench000000";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String prefix(int n) {
        return String.format("b%07d", n);
    }

    /**
     * Persons bench-1..n in organisation acme (status UNKNOWN: no evidence) and one API key each,
     * written as identity-service writes them (V1-V5 migrations: lookup prefix, SHA-256 of the secret).
     */
    private static void seed(Fleet fleet, int n) throws Exception {
        String schema = "\"" + fleet.identitySchema() + "\"";
        try (Connection c = fleet.database().open(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO " + schema + ".person (id, display_name, organisation_id, identity_revision,"
                    + " create_time, update_time)"
                    + " SELECT 'bench-' || i, 'Bench person ' || i, 'acme', 1, now(), now()"
                    + " FROM generate_series(1, " + n + ") AS i");
            st.execute("INSERT INTO " + schema + ".api_key (id, owner_person_id, display_name, prefix, secret_hash,"
                    + " create_time)"
                    + " SELECT 'bench-key-' || i, 'bench-' || i, 'bench key ' || i, 'b' || lpad(i::text, 7, '0'),"
                    + "   encode(sha256(convert_to('clr_b' || lpad(i::text, 7, '0') || '_' || md5('bench-' || i)"
                    + "     || 'bench000000', 'UTF8')), 'hex'), now()"
                    + " FROM generate_series(1, " + n + ") AS i");
        }
    }

    private record Presented(long answered, int[] failed) {
    }

    /** Presents the keys numbered {@code numbers} with ExplainAccess, at most {@value #CONCURRENCY} at once. */
    private static Presented present(ManagedChannel channel, int[] numbers) throws InterruptedException {
        ModelRouterServiceGrpc.ModelRouterServiceStub stub = ModelRouterServiceGrpc.newStub(channel);
        Semaphore slots = new Semaphore(CONCURRENCY);
        AtomicLong ok = new AtomicLong();
        java.util.Queue<Integer> failed = new java.util.concurrent.ConcurrentLinkedQueue<>();
        ExplainAccessRequest request = ExplainAccessRequest.newBuilder().setModel(BenchData.MODEL).setForbidFallback(true).build();
        for (int n : numbers) {
            Metadata headers = new Metadata();
            headers.put(CallerCredentials.API_KEY, secret(n));
            slots.acquire();
            stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .withDeadlineAfter(60, TimeUnit.SECONDS)
                    .explainAccess(request, new StreamObserver<>() {
                        @Override
                        public void onNext(ExplainAccessResponse value) {
                        }

                        @Override
                        public void onError(Throwable t) {
                            failed.add(n);
                            slots.release();
                        }

                        @Override
                        public void onCompleted() {
                            ok.incrementAndGet();
                            slots.release();
                        }
                    });
        }
        slots.acquire(CONCURRENCY);
        slots.release(CONCURRENCY);
        return new Presented(ok.get(), failed.stream().mapToInt(Integer::intValue).toArray());
    }

    private static String rssKey(Map<String, Object> f) {
        int n = (int) f.get("router_memory_identities");
        return n == 100_000 ? "router_rss_mb_100k_identities" : "router_rss_mb_" + n + "_identities";
    }

    private static String section(Map<String, Object> f, Map<String, String> cache, double fillSeconds) {
        StringBuilder keys = new StringBuilder();
        cache.forEach((k, v) -> keys.append(keys.length() == 0 ? "" : ", ").append("`").append(k).append("=").append(v).append("`"));
        return String.join("\n",
                "## Router memory with " + String.format("%,d", (int) f.get("router_memory_identities")) + " cached identities",
                "",
                "One router (with identity-service, entitlement-service and an embedded PostgreSQL). That many persons",
                "with one API key each are seeded by SQL into identity-service's schema (`RouterMemoryBenchmark.seed`;",
                "benchmark secrets derived from a number, never for real use); each key is presented once to the router",
                "(ExplainAccess for fable-5, 32 calls in flight; took " + String.format("%.0f", fillSeconds) + " s),",
                "then VmRSS is read from `/proc/<pid>/status`. To show the identities are cached, identity-service is",
                "then stopped and a random sample of the keys is presented again. The identity change watcher is on,",
                "as in production (it empties the cache only when a new stream's first message arrives).",
                "",
                "- Command: `" + ServiceReport.command() + "`",
                "- " + Results.machine(),
                "- Router JVM: `" + String.join(" ", Fleet.SERVICE_JVM) + "`; cache: " + keys,
                "",
                "| figure | value | target |",
                "|---|---|---|",
                "| `" + rssKey(f) + "` | " + f.get(rssKey(f)) + " | ≤ 512 (for 100,000) |",
                "| router RSS before the identities (MiB) | " + f.get("router_rss_mb_before_identities") + " | |",
                "| keys answered while filling | " + String.format("%,d", (long) f.get("router_memory_identities_answered"))
                        + " of " + String.format("%,d", (int) f.get("router_memory_identities")) + " | |",
                "| sampled keys answered with identity-service stopped | " + f.get("router_memory_cached_sample") + " of "
                        + f.get("router_memory_sample") + " | all |");
    }
}
