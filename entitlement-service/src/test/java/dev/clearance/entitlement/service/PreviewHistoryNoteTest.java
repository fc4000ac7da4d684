package dev.clearance.entitlement.service;

import dev.clearance.entitlement.history.DecisionHistoryRepository;
import dev.clearance.entitlement.history.DecisionHistoryService;
import dev.clearance.entitlement.preview.DecisionHistoryImpact;
import dev.clearance.entitlement.v1.PreviewDirectiveImpactResponse;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the preview answers about the last 24 hours: unknown without history, else the numbers and what they leave out. */
class PreviewHistoryNoteTest {

    private static final Instant FROM = Instant.parse("2026-06-12T21:00:00Z");

    @Test
    void withoutAnyReportedHistoryTheFiguresAreUnknownNotZero() {
        var lastDay = new DecisionHistoryService.LastDay(FROM, List.of(), new DecisionHistoryRepository.Coverage(null, 0, 0));
        PreviewDirectiveImpactResponse r = ImpactPreviewService.withHistory(PreviewDirectiveImpactResponse.newBuilder(),
                lastDay, new DecisionHistoryImpact.Result(0, 0, 0, 0)).build();
        assertFalse(r.getRequestHistoryAvailable());
        assertEquals(ImpactPreviewService.NO_HISTORY_NOTE, r.getRequestHistoryNote());
    }

    @Test
    void withHistoryTheNumbersAndEverythingNotCountedAreSaid() {
        Instant since = FROM.plusSeconds(5 * 3600);
        var lastDay = new DecisionHistoryService.LastDay(FROM, List.of(), new DecisionHistoryRepository.Coverage(since, 3, 12));
        PreviewDirectiveImpactResponse r = ImpactPreviewService.withHistory(PreviewDirectiveImpactResponse.newBuilder(),
                lastDay, new DecisionHistoryImpact.Result(4, 9, 40, 6)).build();
        assertTrue(r.getRequestHistoryAvailable());
        assertEquals(4, r.getRequestsDeniedLast24H());
        assertEquals(9, r.getRequestsDowngradedLast24H());
        String note = r.getRequestHistoryNote();
        assertTrue(note.contains("from " + FROM), note);
        assertTrue(note.contains(": 40 replayed"), note);
        assertTrue(note.contains("history exists only since " + since), note);
        assertTrue(note.contains("6 not replayed"), note);
        assertTrue(note.contains("12 requests were not counted"), note);
    }
}
