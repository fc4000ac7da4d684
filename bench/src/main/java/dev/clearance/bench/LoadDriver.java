package dev.clearance.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clearance.router.v1.GenerateRequest;
import dev.clearance.router.v1.GenerateResponse;
import dev.clearance.router.v1.ModelRouterServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop gRPC load driver, run as its own process: sends {@code Generate} at a fixed rate on
 * a schedule that never waits for answers, and measures each call's latency from its INTENDED send
 * time, so a target that stalls is charged for every call it delayed (no coordinated omission).
 *
 * <p>Usage: {@code LoadDriver --target host:port --rate N --seconds S [--warmup S] [--api-key K]
 * [--model M] [--prompt P] [--deadline-ms D]}. The warm-up runs at the same rate and is not
 * recorded. Prints one JSON object: sent, ok, errors (by status code), achieved rate, latency
 * p50/p90/p99/p999/max in microseconds (HdrHistogram, 3 significant digits, errors included), and
 * the driver's own send lag (how late it sent against the schedule), so the driver's share of the
 * latency is visible.
 */
public final class LoadDriver {

    /** Park until this close to the intended time, then spin: parkNanos alone oversleeps ~50-100 µs. */
    private static final long SPIN_NANOS = 20_000;
    private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(2);

    private final ModelRouterServiceGrpc.ModelRouterServiceStub stub;
    private final GenerateRequest request;
    private final long deadlineMillis;

    private LoadDriver(ModelRouterServiceGrpc.ModelRouterServiceStub stub, GenerateRequest request, long deadlineMillis) {
        this.stub = stub;
        this.request = request;
        this.deadlineMillis = deadlineMillis;
    }

    /** What one phase measured. */
    record Phase(long sent, long ok, Map<String, Long> errors, double seconds, Histogram latencyMicros,
                 Histogram sendLagMicros) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Options.parse(args);
        String[] target = Options.required(options, "target").split(":");
        double rate = Double.parseDouble(Options.required(options, "rate"));
        double seconds = Double.parseDouble(Options.required(options, "seconds"));
        double warmup = Double.parseDouble(options.getOrDefault("warmup", "5"));
        long deadlineMillis = Long.parseLong(options.getOrDefault("deadline-ms", "5000"));

        // Callbacks on the transport threads: nothing in them blocks, and no executor hop is added.
        ManagedChannel channel = ManagedChannelBuilder.forAddress(target[0], Integer.parseInt(target[1]))
                .usePlaintext().directExecutor().build();
        Metadata headers = new Metadata();
        String apiKey = options.get("api-key");
        if (apiKey != null) {
            headers.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), apiKey);
        }
        ModelRouterServiceGrpc.ModelRouterServiceStub stub = ModelRouterServiceGrpc.newStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        GenerateRequest request = GenerateRequest.newBuilder()
                .setModel(options.getOrDefault("model", "fable-5"))
                .setPrompt(options.getOrDefault("prompt", "What is the capital of France?"))
                .setForbidFallback(true)
                .build();
        LoadDriver driver = new LoadDriver(stub, request, deadlineMillis);
        try {
            if (warmup > 0) {
                driver.run(rate, warmup);
            }
            Phase measured = driver.run(rate, seconds);
            System.out.println(new ObjectMapper().writeValueAsString(report(options, rate, measured)));
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private Phase run(double rate, double seconds) throws InterruptedException {
        long total = Math.round(rate * seconds);
        double periodNanos = 1e9 / rate;
        Histogram latency = new ConcurrentHistogram(HIGHEST_MICROS, 3);
        Histogram sendLag = new Histogram(HIGHEST_MICROS, 3);
        LongAdder ok = new LongAdder();
        Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        AtomicLong outstanding = new AtomicLong();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
        for (long i = 0; i < total; i++) {
            long intended = start + (long) (i * periodNanos);
            long now = System.nanoTime();
            while (now < intended) {
                long wait = intended - now;
                if (wait > SPIN_NANOS) {
                    LockSupport.parkNanos(wait - SPIN_NANOS);
                } else {
                    Thread.onSpinWait();
                }
                now = System.nanoTime();
            }
            sendLag.recordValue(Math.min(HIGHEST_MICROS, (now - intended) / 1000));
            outstanding.incrementAndGet();
            stub.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS).generate(request,
                    new StreamObserver<>() {
                        @Override
                        public void onNext(GenerateResponse value) {
                        }

                        @Override
                        public void onError(Throwable t) {
                            record(latency, intended);
                            errors.computeIfAbsent(Status.fromThrowable(t).getCode().name(), c -> new LongAdder()).increment();
                            outstanding.decrementAndGet();
                        }

                        @Override
                        public void onCompleted() {
                            record(latency, intended);
                            ok.increment();
                            outstanding.decrementAndGet();
                        }
                    });
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        // Every call ends by its deadline; wait for the last ones before reading the histogram.
        long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deadlineMillis + 5000);
        while (outstanding.get() > 0 && System.nanoTime() < giveUp) {
            Thread.sleep(10);
        }
        Map<String, Long> errorCounts = new LinkedHashMap<>();
        errors.forEach((code, n) -> errorCounts.put(code, n.sum()));
        if (outstanding.get() > 0) {
            errorCounts.put("NO_ANSWER", outstanding.get());
        }
        return new Phase(total, ok.sum(), errorCounts, elapsed, latency, sendLag);
    }

    private static void record(Histogram latency, long intended) {
        latency.recordValue(Math.min(HIGHEST_MICROS, (System.nanoTime() - intended) / 1000));
    }

    private static Map<String, Object> report(Map<String, String> options, double rate, Phase p) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("target", options.get("target"));
        r.put("rate", rate);
        r.put("seconds", p.seconds());
        r.put("sent", p.sent());
        r.put("ok", p.ok());
        r.put("errors", p.errors().values().stream().mapToLong(Long::longValue).sum());
        r.put("error_codes", p.errors());
        r.put("achieved_rps", p.sent() / p.seconds());
        r.put("p50_us", p.latencyMicros().getValueAtPercentile(50));
        r.put("p90_us", p.latencyMicros().getValueAtPercentile(90));
        r.put("p99_us", p.latencyMicros().getValueAtPercentile(99));
        r.put("p999_us", p.latencyMicros().getValueAtPercentile(99.9));
        r.put("max_us", p.latencyMicros().getMaxValue());
        r.put("send_lag_p50_us", p.sendLagMicros().getValueAtPercentile(50));
        r.put("send_lag_p99_us", p.sendLagMicros().getValueAtPercentile(99));
        return r;
    }
}
