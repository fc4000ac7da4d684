package dev.clearance.entitlement.grpc;

import com.google.protobuf.Timestamp;
import dev.clearance.common.v1.Outcome;
import dev.clearance.entitlement.Grpc;
import dev.clearance.entitlement.history.DecisionHistoryRepository;
import dev.clearance.entitlement.v1.DecisionCount;
import dev.clearance.entitlement.v1.EntitlementServiceGrpc;
import dev.clearance.entitlement.v1.RecordDecisionCountsRequest;
import dev.clearance.testing.PostgresTestResource;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RecordDecisionCounts against real PostgreSQL: batches add up (per caller, model and fallback flag,
 * over every router), a retried batch is added once, bad input is refused field by field with
 * nothing stored, and the retention sweep drops old hours. Each test uses its own callers, so the
 * shared database's other rows never count.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class DecisionHistoryTest {

    @GrpcClient("entitlement")
    EntitlementServiceGrpc.EntitlementServiceBlockingStub client;

    @Inject
    DecisionHistoryRepository repository;

    private static final Instant HOUR = Instant.now().truncatedTo(ChronoUnit.HOURS);

    private static Timestamp ts(Instant t) {
        return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
    }

    private static DecisionCount count(Instant hour, String caller, String model, boolean fallback, Outcome outcome,
                                       long n) {
        return DecisionCount.newBuilder().setHourTime(ts(hour)).setCaller(caller).setModel(model)
                .setFallbackAllowed(fallback).setOutcome(outcome).setCount(n).build();
    }

    private static RecordDecisionCountsRequest batch(String router, String id, DecisionCount... counts) {
        return RecordDecisionCountsRequest.newBuilder().setRouterId(router).setBatchId(id)
                .setSinceTime(ts(HOUR.minusSeconds(60))).addAllCounts(List.of(counts)).build();
    }

    /** Stored requests of these callers in the window from {@code from}: "caller|model|fallback" -> requests. */
    private Map<String, Long> stored(Instant from, String... callers) {
        List<String> wanted = List.of(callers);
        return repository.window(from).await().atMost(Duration.ofSeconds(30)).stream()
                .filter(r -> wanted.contains(r.caller()))
                .collect(Collectors.toMap(r -> r.caller() + "|" + r.model() + "|" + r.fallbackAllowed(),
                        DecisionHistoryRepository.Requests::requests));
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void batchesAddUpPerCallerModelAndFallbackOverRoutersAndARetryIsAddedOnce() {
        String bogdan = "persons/" + unique("bogdan");
        String meridian = "organisations/" + unique("meridian");
        var first = batch("router-a", "boot1-1",
                count(HOUR, bogdan, "fable-5", true, Outcome.OUTCOME_ALLOW, 3),
                count(HOUR, bogdan, "fable-5", false, Outcome.OUTCOME_DENY, 1),
                count(HOUR.minus(1, ChronoUnit.HOURS), bogdan, "fable-5", true, Outcome.OUTCOME_ALLOW, 2),
                count(HOUR, meridian, "lyric-3.5", true, Outcome.OUTCOME_ALLOW, 4));
        assertFalse(client.recordDecisionCounts(first).getDuplicate());
        assertTrue(client.recordDecisionCounts(first).getDuplicate(), "the same batch again: a retry");
        assertFalse(client.recordDecisionCounts(batch("router-a", "boot1-2",
                count(HOUR, bogdan, "fable-5", true, Outcome.OUTCOME_ALLOW, 5),
                count(HOUR, bogdan, "fable-5", true, Outcome.OUTCOME_ALLOW_FALLBACK, 1))).getDuplicate());
        // Another router may use the same batch id: ids are per router.
        assertFalse(client.recordDecisionCounts(batch("router-b", "boot1-1",
                count(HOUR, bogdan, "fable-5", true, Outcome.OUTCOME_ALLOW, 10))).getDuplicate());

        assertEquals(Map.of(
                bogdan + "|fable-5|true", 3L + 2 + 5 + 1 + 10,
                bogdan + "|fable-5|false", 1L,
                meridian + "|lyric-3.5|true", 4L), stored(HOUR.minus(2, ChronoUnit.HOURS), bogdan, meridian));
        assertEquals(Map.of(
                bogdan + "|fable-5|true", 3L + 5 + 1 + 10,
                bogdan + "|fable-5|false", 1L,
                meridian + "|lyric-3.5|true", 4L), stored(HOUR, bogdan, meridian), "the window starts at its hour");
        var coverage = repository.coverage(HOUR.minus(1, ChronoUnit.HOURS)).await().atMost(Duration.ofSeconds(30));
        assertNotNull(coverage.since());
        assertTrue(!coverage.since().isAfter(HOUR.minusSeconds(60)), "history since the earliest batch's start");
    }

    @Test
    void badInputIsRefusedFieldByFieldAndNothingIsStored() {
        String caller = "persons/" + unique("bad");
        RecordDecisionCountsRequest bad = RecordDecisionCountsRequest.newBuilder()
                .setRouterId("router a") // a space
                .setBatchId("")
                .setDroppedRequests(-1)
                .addCounts(count(HOUR, caller, "fable-5", true, Outcome.OUTCOME_ALLOW, 2)) // fine
                .addCounts(count(HOUR.plusSeconds(90), "alice", "Fable 5", true, Outcome.OUTCOME_UNSPECIFIED, 0))
                .addCounts(count(HOUR.plus(3, ChronoUnit.HOURS), caller, "fable-5", true, Outcome.OUTCOME_ALLOW, 1))
                .addCounts(count(HOUR, caller, "fable-5", true, Outcome.OUTCOME_ALLOW, 9)) // repeats counts[0]
                .addCounts(DecisionCount.newBuilder().setCaller(caller).setModel("fable-5")
                        .setOutcome(Outcome.OUTCOME_DENY).setCount(1))
                .build();
        Grpc.expectViolations(() -> client.recordDecisionCounts(bad),
                "router_id", "batch_id", "since_time", "dropped_requests",
                "counts[1].hour_time", "counts[1].caller", "counts[1].model", "counts[1].outcome", "counts[1].count",
                "counts[2].hour_time", "counts[3]", "counts[4].hour_time");
        assertEquals(Map.of(), stored(HOUR.minus(2, ChronoUnit.HOURS), caller), "nothing stored");

        // Nothing of the refused batch was kept: the same router and batch id are new afterwards.
        String id = unique("boot");
        Grpc.expectViolations(() -> client.recordDecisionCounts(batch("router-a", id,
                count(HOUR, caller, "fable-5", true, Outcome.OUTCOME_ALLOW, 0))), "counts[0].count");
        assertFalse(client.recordDecisionCounts(batch("router-a", id,
                count(HOUR, caller, "fable-5", true, Outcome.OUTCOME_ALLOW, 2))).getDuplicate());
        assertEquals(Map.of(caller + "|fable-5|true", 2L), stored(HOUR.minus(2, ChronoUnit.HOURS), caller));
    }

    @Test
    void tooManyCountsInOneBatchAreRefused() {
        String caller = "persons/" + unique("many");
        RecordDecisionCountsRequest.Builder b = RecordDecisionCountsRequest.newBuilder().setRouterId("router-a")
                .setBatchId(unique("boot")).setSinceTime(ts(HOUR));
        for (int i = 0; i <= 10_000; i++) {
            b.addCounts(count(HOUR, caller + i, "fable-5", true, Outcome.OUTCOME_ALLOW, 1));
        }
        Grpc.expectViolations(() -> client.recordDecisionCounts(b.build()), "counts");
    }

    @Test
    void theRetentionSweepDropsHoursOlderThanTheRetention() {
        String caller = "persons/" + unique("old");
        client.recordDecisionCounts(batch("router-a", unique("boot"),
                count(HOUR.minus(30, ChronoUnit.HOURS), caller, "fable-5", true, Outcome.OUTCOME_ALLOW, 7),
                count(HOUR.minus(1, ChronoUnit.HOURS), caller, "fable-4", true, Outcome.OUTCOME_ALLOW, 2)));
        Instant longAgo = HOUR.minus(40, ChronoUnit.HOURS);
        assertEquals(Map.of(caller + "|fable-5|true", 7L, caller + "|fable-4|true", 2L), stored(longAgo, caller));

        long[] deleted = repository.prune(Duration.ofHours(25)).await().atMost(Duration.ofSeconds(30));
        assertTrue(deleted[0] >= 1, "at least the 30-hour-old count");
        assertEquals(Map.of(caller + "|fable-4|true", 2L), stored(longAgo, caller));
    }
}
