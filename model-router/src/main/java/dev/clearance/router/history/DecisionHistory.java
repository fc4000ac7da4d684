package dev.clearance.router.history;

import com.google.protobuf.Timestamp;
import dev.clearance.api.mapping.DecisionMapping;
import dev.clearance.common.v1.CallerIdentity;
import dev.clearance.entitlement.v1.DecisionCount;
import dev.clearance.entitlement.v1.RecordDecisionCountsRequest;
import dev.clearance.policy.Decision;
import dev.clearance.policy.Outcome;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The router's decision history: on the request path only a counter per (hour, caller, requested
 * version, fallback allowed, outcome) is incremented (one map lookup, one {@link LongAdder}; no
 * lock, no I/O); {@link #flush} periodically turns the counts into batches for entitlement-service
 * (RecordDecisionCounts), off the request path.
 *
 * <p>Bounded: at most {@code max-keys} counters are held (a drained counter stays until its hour
 * is over), and no drain happens while unsent batches (entitlement-service down) hold
 * {@code max-keys} counts or more, so at most about twice {@code max-keys} counts are held in all;
 * beyond that requests are not counted but the number dropped is (metrics, and the next batch's
 * {@code dropped_requests}). Callers without a person or
 * organisation (none today: unauthenticated requests never reach a decision) are skipped and
 * counted as unattributed. Only Generate and StreamGenerate are recorded: ExplainAccess and
 * ListModels serve nothing.
 *
 * <p>Retries send the same batch (same id), so entitlement-service adds it once however often it
 * arrives. A counter is removed once its hour has been over for a minute; a request that looked it
 * up before the hour ended and increments it more than a minute later (a thread stalled that long)
 * would be lost, which is the only way a count can go missing.
 */
@ApplicationScoped
public class DecisionHistory {

    private static final Logger LOG = Logger.getLogger(DecisionHistory.class);
    static final long HOUR_MILLIS = 3_600_000L;
    /** A closed hour's counters are removed this long after it ends (see the class comment). */
    static final long CLOSE_GRACE_MILLIS = 60_000L;
    /** entitlement-service accepts at most this many counts per batch. */
    static final int MAX_BATCH_COUNTS = 5_000;
    /** An idle router still reports (an empty batch) this often, so the preview knows it is counting. */
    static final long IDLE_REPORT_MILLIS = 300_000L;

    /** One counter's identity. {@code caller}: {@code persons/{id}} or {@code organisations/{id}}. */
    record Key(long hour, String caller, String model, boolean fallbackAllowed, Outcome outcome) {
    }

    /** Sends one batch; throws when it was not stored (it is sent again later). */
    @FunctionalInterface
    public interface Sender {
        void send(RecordDecisionCountsRequest batch) throws Exception;
    }

    private final ConcurrentHashMap<Key, LongAdder> counters = new ConcurrentHashMap<>();
    private final LongAdder droppedTotal = new LongAdder();
    private final LongAdder droppedUnreported = new LongAdder();
    private final LongAdder unattributed = new LongAdder();
    private final LongAdder recorded = new LongAdder();
    private final int maxKeys;
    private final LongSupplier clock;
    private final String bootId = UUID.randomUUID().toString();

    // Flush state: written under the monitor only (one flush at a time); the volatile ones are read
    // by metrics without it, so a scrape never waits for a send in progress.
    private final ArrayDeque<RecordDecisionCountsRequest> pending = new ArrayDeque<>();
    private volatile int pendingBatches;
    private volatile int pendingCounts;
    private volatile long batchesSent;
    private volatile long batchesFailed;
    private long sequence;
    private long lastDrainMillis;
    private long lastSentMillis;
    private boolean failing;

    @Inject
    public DecisionHistory(@ConfigProperty(name = "clearance.router.history.max-keys", defaultValue = "100000")
                           int maxKeys) {
        this(maxKeys, System::currentTimeMillis);
    }

    DecisionHistory(int maxKeys, LongSupplier clock) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("clearance.router.history.max-keys must be positive: " + maxKeys);
        }
        this.maxKeys = maxKeys;
        this.clock = clock;
        this.lastDrainMillis = clock.getAsLong();
    }

    /** The request path: counts one decided Generate/StreamGenerate request. */
    public void record(CallerIdentity identity, Decision decision, boolean fallbackAllowed) {
        String caller = !identity.getPerson().isEmpty() ? identity.getPerson()
                : !identity.getOrganisation().isEmpty() ? identity.getOrganisation() : null;
        if (caller == null) {
            unattributed.increment();
            return;
        }
        Key key = new Key(clock.getAsLong() / HOUR_MILLIS, caller, decision.requestedVersion(), fallbackAllowed,
                decision.outcome());
        LongAdder counter = counters.get(key);
        if (counter == null) {
            if (counters.mappingCount() >= maxKeys) {
                droppedTotal.increment();
                droppedUnreported.increment();
                return;
            }
            counter = counters.computeIfAbsent(key, k -> new LongAdder());
        }
        counter.increment();
        recorded.increment();
    }

    /**
     * Drains the counters into batches (unless unsent batches already hold {@code max-keys} counts)
     * and sends every waiting batch in order, oldest first, stopping at the first failure.
     *
     * @return batches sent by this call
     */
    public synchronized int flush(String routerId, Sender sender) {
        long now = clock.getAsLong();
        if (pendingCounts < maxKeys) {
            drain(routerId, now);
        }
        int sent = 0;
        while (!pending.isEmpty()) {
            RecordDecisionCountsRequest batch = pending.peek();
            try {
                sender.send(batch);
            } catch (Exception e) {
                batchesFailed++;
                if (!failing) {
                    LOG.warnf("could not send decision counts (batch %s, %d counts; %d batches waiting): %s; "
                            + "kept and retried", batch.getBatchId(), batch.getCountsCount(), pending.size(),
                            e.getMessage());
                } else {
                    LOG.debugf("decision counts still not sent (%d batches waiting): %s", pending.size(), e.getMessage());
                }
                failing = true;
                break;
            }
            if (failing) {
                LOG.infof("decision counts sent again (%d batches were waiting)", pending.size());
                failing = false;
            }
            pending.poll();
            pendingBatches = pending.size();
            pendingCounts -= batch.getCountsCount();
            lastSentMillis = clock.getAsLong();
            batchesSent++;
            sent++;
        }
        return sent;
    }

    private void drain(String routerId, long now) {
        long currentHour = now / HOUR_MILLIS;
        List<DecisionCount> counts = new ArrayList<>();
        Iterator<Map.Entry<Key, LongAdder>> it = counters.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Key, LongAdder> e = it.next();
            Key key = e.getKey();
            LongAdder counter = e.getValue();
            long n = counter.sumThenReset();
            if (key.hour() < currentHour && now >= (key.hour() + 1) * HOUR_MILLIS + CLOSE_GRACE_MILLIS) {
                counters.remove(key, counter);
                n += counter.sumThenReset(); // an increment that landed between the two reads
            }
            if (n > 0) {
                counts.add(DecisionCount.newBuilder()
                        .setHourTime(Timestamp.newBuilder().setSeconds(key.hour() * (HOUR_MILLIS / 1000)))
                        .setCaller(key.caller())
                        .setModel(key.model())
                        .setFallbackAllowed(key.fallbackAllowed())
                        .setOutcome(DecisionMapping.outcome(key.outcome()))
                        .setCount(n)
                        .build());
            }
        }
        long dropped = droppedUnreported.sumThenReset();
        boolean idleReportDue = pending.isEmpty() && now - lastSentMillis >= IDLE_REPORT_MILLIS;
        if (counts.isEmpty() && dropped == 0 && !idleReportDue) {
            return; // nothing to say; lastDrainMillis stays, so the next batch covers this interval too
        }
        Timestamp since = Timestamp.newBuilder().setSeconds(Math.floorDiv(lastDrainMillis, 1000))
                .setNanos((int) Math.floorMod(lastDrainMillis, 1000) * 1_000_000).build();
        int from = 0;
        do {
            int to = Math.min(counts.size(), from + MAX_BATCH_COUNTS);
            RecordDecisionCountsRequest.Builder batch = RecordDecisionCountsRequest.newBuilder()
                    .setRouterId(routerId)
                    .setBatchId(bootId + "-" + (++sequence))
                    .setSinceTime(since)
                    .addAllCounts(counts.subList(from, to));
            if (from == 0) {
                batch.setDroppedRequests(dropped);
            }
            pending.add(batch.build());
            pendingBatches = pending.size();
            pendingCounts += to - from;
            from = to;
        } while (from < counts.size());
        lastDrainMillis = now;
    }

    // ---- for metrics and tests ------------------------------------------------------------------

    /** Counters held now. */
    public int keys() {
        return (int) counters.mappingCount();
    }

    /** Requests not counted because the bound was reached, since start. */
    public long dropped() {
        return droppedTotal.sum();
    }

    public long unattributed() {
        return unattributed.sum();
    }

    public long recorded() {
        return recorded.sum();
    }

    public int pendingBatches() {
        return pendingBatches;
    }

    public int pendingCounts() {
        return pendingCounts;
    }

    public long batchesSent() {
        return batchesSent;
    }

    public long batchesFailed() {
        return batchesFailed;
    }
}
