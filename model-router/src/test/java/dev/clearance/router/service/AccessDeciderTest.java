package dev.clearance.router.service;

import com.google.rpc.BadRequest;
import dev.clearance.api.ApiError;
import dev.clearance.common.v1.CallerIdentity;
import dev.clearance.common.v1.Outcome;
import dev.clearance.common.v1.ReasonCode;
import dev.clearance.common.v1.UsPersonStatus;
import dev.clearance.policy.PolicySnapshot;
import dev.clearance.router.TestSnapshots;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The router's local decision on a snapshot built from engine types (identity supplied directly). */
class AccessDeciderTest {

    private final AccessDecider decider = new AccessDecider();
    private final PolicySnapshot snapshot = TestSnapshots.scenario(11);
    private final CallerIdentity alice = TestSnapshots.person("alice", UsPersonStatus.US_PERSON_STATUS_US_CITIZEN, "US");
    private final CallerIdentity bogdan = TestSnapshots.person("bogdan", UsPersonStatus.US_PERSON_STATUS_FOREIGN_PERSON, "IN");

    @Test
    void usPersonIsServedTheRequestedModel() {
        var decided = decider.decide(snapshot, alice, "fable-5", true);
        assertEquals(Outcome.OUTCOME_ALLOW, decided.proto().getOutcome());
        assertEquals("fable-5", decided.proto().getServedModel());
        assertEquals(11, decided.proto().getPolicyRevision());
        assertEquals(4, decided.proto().getIdentityRevision());
        assertFalse(decided.decisionId().isEmpty());
    }

    @Test
    void foreignPersonFallsBackUnderTheDirective() {
        var decided = decider.decide(snapshot, bogdan, "fable-5", true);
        assertEquals(Outcome.OUTCOME_ALLOW_FALLBACK, decided.proto().getOutcome());
        assertEquals("fable-4.5", decided.proto().getServedModel());
        assertEquals(ReasonCode.REASON_CODE_DIRECTIVE, decided.proto().getReasons(0).getCode());
        assertEquals("directives/bis-ed-2026-06-12", decided.proto().getReasons(0).getDirective());
    }

    @Test
    void aShadowDirectiveIsReportedAsWouldDenyWithoutChangingTheAnswer() {
        PolicySnapshot shadow = TestSnapshots.scenario(12, dev.clearance.policy.Directive.Mode.SHADOW,
                java.time.Instant.parse("2026-06-12T21:21:00Z"));
        var decided = decider.decide(shadow, bogdan, "fable-5", true);
        assertEquals(Outcome.OUTCOME_ALLOW, decided.proto().getOutcome(), "shadow never changes the answer");
        assertEquals("fable-5", decided.proto().getServedModel());
        assertEquals(1, decided.proto().getShadowReasonsCount());
        assertEquals(ReasonCode.REASON_CODE_SHADOW_DIRECTIVE, decided.proto().getShadowReasons(0).getCode());
        assertEquals("directives/bis-ed-2026-06-12", decided.proto().getShadowReasons(0).getDirective());
        // the decision log line names the directive that would have denied
        assertEquals("directives/bis-ed-2026-06-12", AccessDecider.wouldDeny(decided.decision()));
        assertEquals("", AccessDecider.wouldDeny(decider.decide(shadow, alice, "fable-5", true).decision()));
        assertEquals("", AccessDecider.wouldDeny(decider.decide(snapshot, bogdan, "fable-5", true).decision()),
                "an enforced directive is a reason, not a shadow");
    }

    @Test
    void aDirectiveEffectiveInTwoSecondsStartsApplyingWithoutANewSnapshot() throws InterruptedException {
        java.time.Instant effective = java.time.Instant.now().plusSeconds(2);
        PolicySnapshot same = TestSnapshots.scenario(13, dev.clearance.policy.Directive.Mode.ENFORCED, effective);
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (true) {
            var decided = decider.decide(same, bogdan, "fable-5", true);
            java.time.Instant at = java.time.Instant.ofEpochSecond(decided.proto().getDecideTime().getSeconds(),
                    decided.proto().getDecideTime().getNanos());
            // Every decision agrees with its own time: before the instant allowed, from it on refused.
            if (at.isBefore(effective)) {
                assertEquals(Outcome.OUTCOME_ALLOW, decided.proto().getOutcome(), "before " + effective + " at " + at);
            } else {
                assertEquals(Outcome.OUTCOME_ALLOW_FALLBACK, decided.proto().getOutcome(), "from " + effective + " at " + at);
                assertEquals(ReasonCode.REASON_CODE_DIRECTIVE, decided.proto().getReasons(0).getCode());
                assertEquals(13, decided.proto().getPolicyRevision(), "the same snapshot, no new write");
                break;
            }
            assertTrue(System.nanoTime() < deadline, "never applied");
            Thread.sleep(50);
        }
    }

    @Test
    void forbiddenFallbackDenies() {
        var decided = decider.decide(snapshot, bogdan, "fable-5", false);
        assertEquals(Outcome.OUTCOME_DENY, decided.proto().getOutcome());
        assertFalse(decided.allowed());
        assertNull(decided.decision().servedModel());
    }

    @Test
    void otherSpellingsReachTheCanonicalModelAndNoneBypassesTheDirective() {
        for (String spelling : List.of(" FABLE-5 ", "Fable-Latest", "\uFF46\uFF41\uFF42\uFF4C\uFF45\uFF0D\uFF15")) {
            var decided = decider.decide(snapshot, bogdan, spelling, false);
            assertEquals("fable-5", decided.proto().getRequestedModel().getVersion(), spelling);
            assertEquals(Outcome.OUTCOME_DENY, decided.proto().getOutcome(), spelling);
        }
    }

    @Test
    void decisionIdsAreUnique() {
        assertFalse(decider.decide(snapshot, alice, "lyric-3", true).decisionId()
                .equals(decider.decide(snapshot, alice, "lyric-3", true).decisionId()));
    }

    @Test
    void decisionIdsAreVersionFourUuidsWithoutRepeatsAcrossThreads() throws Exception {
        java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> draws = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                draws.add(pool.submit(() -> {
                    for (int i = 0; i < 50_000; i++) {
                        String id = DecisionIds.next();
                        java.util.UUID uuid = java.util.UUID.fromString(id);
                        assertEquals(4, uuid.version(), id);
                        assertEquals(2, uuid.variant(), id);
                        assertEquals(id, uuid.toString(), "canonical lower-case form");
                        assertTrue(seen.add(id), "repeated: " + id);
                    }
                }));
            }
            for (var draw : draws) {
                draw.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(200_000, seen.size());
    }

    @Test
    void onlyRoutineAllowsAreLoggedAtDebugEveryOtherDecisionAtInfo() {
        var served = decider.decide(snapshot, alice, "fable-5", true).decision();
        assertTrue(AccessDecider.routine(served, dev.clearance.router.location.Location.UNKNOWN));
        // The same ALLOW from a VPN exit is worth a line.
        assertFalse(AccessDecider.routine(served,
                new dev.clearance.router.location.Location("US", null, true, false, false, false, false)));
        assertFalse(AccessDecider.routine(decider.decide(snapshot, bogdan, "fable-5", true).decision(),
                dev.clearance.router.location.Location.UNKNOWN), "a fallback");
        assertFalse(AccessDecider.routine(decider.decide(snapshot, bogdan, "fable-5", false).decision(),
                dev.clearance.router.location.Location.UNKNOWN), "a DENY");
        PolicySnapshot shadow = TestSnapshots.scenario(12, dev.clearance.policy.Directive.Mode.SHADOW,
                java.time.Instant.parse("2026-06-12T21:21:00Z"));
        var wouldDeny = decider.decide(shadow, bogdan, "fable-5", true).decision();
        assertEquals(dev.clearance.policy.Outcome.ALLOW, wouldDeny.outcome());
        assertFalse(AccessDecider.routine(wouldDeny, dev.clearance.router.location.Location.UNKNOWN),
                "an ALLOW a shadow directive would have refused");
    }

    @Test
    void emptyModelIsAFieldViolation() {
        for (String empty : new String[] {"", "   ", null}) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> decider.decide(snapshot, alice, empty, true));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
            List<BadRequest.FieldViolation> violations = ApiError.fieldViolations(e);
            assertEquals(1, violations.size());
            assertEquals("model", violations.get(0).getField());
        }
    }

    @Test
    void invisibleCharactersAreRejectedAsInvalid() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> decider.decide(snapshot, bogdan, "fable\u200B-5", true));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals("model", ApiError.fieldViolations(e).get(0).getField());
    }

    @Test
    void unknownModelIsNotFound() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> decider.decide(snapshot, alice, "fable-9", true));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        var info = ApiError.errorInfo(e).orElseThrow();
        assertEquals("MODEL_NOT_FOUND", info.getReason());
        assertEquals("fable-9", info.getMetadataOrThrow("model"));
    }

    @Test
    void listModelsSaysWhatIsRefusedWhyAndWhatWouldServe() {
        var response = decider.listModels(snapshot, bogdan);
        assertEquals(11, response.getPolicyRevision());
        assertEquals(4, response.getIdentityRevision());
        assertEquals(List.of("fable-4", "fable-4.5", "fable-5", "lyric-3", "lyric-3.5"),
                response.getModelsList().stream().map(m -> m.getModel()).toList());
        var fable5 = response.getModels(2);
        assertEquals("fable", fable5.getFamily());
        assertFalse(fable5.getAllowed());
        assertEquals(ReasonCode.REASON_CODE_DIRECTIVE, fable5.getReasons(0).getCode());
        assertEquals("fable-4.5", fable5.getFallbackModel());
        var lyric = response.getModels(3);
        assertEquals(true, lyric.getAllowed());
        assertEquals("", lyric.getFallbackModel());

        var forAlice = decider.listModels(snapshot, alice);
        assertEquals(5, forAlice.getModelsList().stream().filter(m -> m.getAllowed()).count());
    }

    @Test
    void aStalePolicyRefusesControlledModelsWithPolicyStaleAndServesTheRest() {
        PolicySnapshot open = TestSnapshots.compiled(12, false);
        var fable = decider.decide(open, alice, "fable-4.5", true, true);
        assertEquals(Outcome.OUTCOME_DENY, fable.proto().getOutcome(), "fable is a controlled family");
        assertEquals(ReasonCode.REASON_CODE_POLICY_STALE, fable.proto().getReasons(0).getCode());
        assertNull(fable.decision().servedModel(), "no fallback from a stale policy");

        var lyric = decider.decide(open, alice, "lyric-3", true, true);
        assertEquals(Outcome.OUTCOME_ALLOW, lyric.proto().getOutcome(), "lyric is not controlled: served while stale");

        assertEquals(Outcome.OUTCOME_ALLOW, decider.decide(open, alice, "fable-4.5", true, false).proto().getOutcome(),
                "the same request on a fresh policy");
        var listed = decider.listModels(open, alice, true);
        assertFalse(listed.getModels(0).getAllowed());
        assertEquals("lyric-3", listed.getModels(2).getModel());
        assertEquals(true, listed.getModels(2).getAllowed());
    }
}
