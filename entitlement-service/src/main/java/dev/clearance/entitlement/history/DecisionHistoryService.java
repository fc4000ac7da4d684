package dev.clearance.entitlement.history;

import dev.clearance.entitlement.mapping.TimeMapping;
import dev.clearance.entitlement.v1.DecisionCount;
import dev.clearance.entitlement.v1.RecordDecisionCountsRequest;
import dev.clearance.entitlement.v1.RecordDecisionCountsResponse;
import dev.clearance.entitlement.validation.DecisionHistoryRequests;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Stores the routers' decision counts and reads the last 24 hours of them for the impact
 * preview. The window is whole hours: from the start of the hour 24 hours ago, so it may
 * reach up to 25 hours back (the preview says from when).
 */
@ApplicationScoped
public class DecisionHistoryService {

    private static final Logger LOG = Logger.getLogger(DecisionHistoryService.class);
    public static final Duration WINDOW = Duration.ofHours(24);

    private final DecisionHistoryRepository repository;

    public DecisionHistoryService(DecisionHistoryRepository repository) {
        this.repository = repository;
    }

    public Uni<RecordDecisionCountsResponse> record(RecordDecisionCountsRequest r) {
        DecisionHistoryRequests.check(r, TimeMapping.now().getEpochSecond());
        List<DecisionHistoryRepository.Count> counts = new ArrayList<>(r.getCountsCount());
        for (DecisionCount c : r.getCountsList()) {
            counts.add(new DecisionHistoryRepository.Count(TimeMapping.toInstant(c.getHourTime()),
                    c.getCaller().startsWith("persons/") ? "PERSON" : "ORGANISATION", c.getCaller(), c.getModel(),
                    c.getFallbackAllowed(), c.getOutcome().name().substring("OUTCOME_".length()), c.getCount()));
        }
        return repository.record(r.getRouterId(), r.getBatchId(), TimeMapping.toInstant(r.getSinceTime()),
                r.getDroppedRequests(), counts).map(added -> {
            if (!added) {
                LOG.debugf("decision counts batch %s of router %s already recorded; nothing added", r.getBatchId(),
                        r.getRouterId());
            } else if (r.getDroppedRequests() > 0) {
                LOG.warnf("router %s could not count %d requests (its key bound was reached)", r.getRouterId(),
                        r.getDroppedRequests());
            }
            return RecordDecisionCountsResponse.newBuilder().setDuplicate(!added).build();
        });
    }

    /** The last 24 hours as stored at {@code now}. */
    public record LastDay(Instant from, List<DecisionHistoryRepository.Requests> requests,
                          DecisionHistoryRepository.Coverage coverage) {
        /** Routers have reported within the retention: the numbers are counts, not unknowns. */
        public boolean available() {
            return coverage.since() != null;
        }
    }

    public Uni<LastDay> lastDay(Instant now) {
        Instant from = now.minus(WINDOW).truncatedTo(ChronoUnit.HOURS);
        return repository.coverage(from).flatMap(coverage -> coverage.since() == null
                ? Uni.createFrom().item(new LastDay(from, List.of(), coverage))
                : repository.window(from).map(rows -> new LastDay(from, rows, coverage)));
    }
}
