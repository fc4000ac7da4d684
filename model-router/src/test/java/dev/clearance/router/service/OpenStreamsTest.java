package dev.clearance.router.service;

import com.google.rpc.ErrorInfo;
import dev.clearance.api.ApiError;
import dev.clearance.common.v1.CallerIdentity;
import dev.clearance.common.v1.UsPersonStatus;
import dev.clearance.policy.PolicySnapshot;
import dev.clearance.router.TestSnapshots;
import dev.clearance.router.policy.CurrentPolicy;
import dev.clearance.router.policy.PolicyChanged;
import dev.clearance.router.policy.PolicyFreshness;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry of streams in flight and the re-check that cuts the ones a policy change refuses. */
class OpenStreamsTest {

    private final CallerIdentity alice = TestSnapshots.person("alice", UsPersonStatus.US_PERSON_STATUS_US_CITIZEN, "US");
    private final CallerIdentity bogdan = TestSnapshots.person("bogdan", UsPersonStatus.US_PERSON_STATUS_FOREIGN_PERSON, "IN");

    private final AccessDecider decider = new AccessDecider();
    private final OpenStreams streams = new OpenStreams();
    private final CurrentPolicy current = new CurrentPolicy();

    @BeforeEach
    void wire() {
        streams.decider = decider;
        streams.current = current;
        streams.freshness = new PolicyFreshness(Duration.ofSeconds(10));
        streams.freshness.heard();
    }

    /** A stream in flight: decided on {@code snapshot}, its backend never finishing on its own. */
    private AssertSubscriber<String> open(PolicySnapshot snapshot, CallerIdentity caller, String model,
                                          boolean fallback) {
        var decided = decider.decide(snapshot, caller, model, fallback);
        assertTrue(decided.allowed(), "the stream starts allowed");
        UnicastProcessor<String> backend = UnicastProcessor.create();
        var subscriber = streams.guard(decided, backend).subscribe().withSubscriber(AssertSubscriber.create(10));
        backend.onNext("chunk");
        subscriber.assertItems("chunk");
        return subscriber;
    }

    private static ErrorInfo cutWith(AssertSubscriber<String> stream) {
        Throwable failure = stream.getFailure();
        assertTrue(failure instanceof StatusRuntimeException, () -> "cut with a gRPC error, got " + failure);
        assertEquals(Status.Code.PERMISSION_DENIED, ((StatusRuntimeException) failure).getStatus().getCode());
        ErrorInfo info = ApiError.errorInfo(failure).orElseThrow();
        assertEquals("ACCESS_DENIED", info.getReason());
        assertEquals(RouterErrors.DOMAIN, info.getDomain());
        return info;
    }

    @Test
    void aDirectiveThatLandsCutsTheStreamsItNowDeniesAndOnlyThose() {
        PolicySnapshot before = TestSnapshots.compiled(1, false);
        current.offer(before);
        var bogdanOnFable5 = open(before, bogdan, "fable-5", false);
        var aliceOnFable5 = open(before, alice, "fable-5", false);
        var bogdanOnFable45 = open(before, bogdan, "fable-4.5", false);
        assertEquals(3, streams.size());

        PolicySnapshot after = TestSnapshots.compiled(2, true);
        current.offer(after);
        streams.onPolicyChanged(new PolicyChanged(after, false));

        ErrorInfo info = cutWith(bogdanOnFable5);
        assertEquals("DIRECTIVE", info.getMetadataOrThrow("reason_code"));
        assertEquals("directives/bis-ed-2026-06-12", info.getMetadataOrThrow("directive"));
        assertEquals("15 CFR 734.13, 734.14", info.getMetadataOrThrow("citation"));
        assertEquals("fable-5", info.getMetadataOrThrow("model"));
        assertTrue(!info.getMetadataOrThrow("decision_id").isEmpty());
        aliceOnFable5.assertNotTerminated();
        bogdanOnFable45.assertNotTerminated();
        assertEquals(2, streams.size(), "a cut stream leaves the registry");
    }

    @Test
    void aFallbackStreamIsJudgedByTheVersionItServes() {
        PolicySnapshot withDirective = TestSnapshots.compiled(3, true);
        current.offer(withDirective);
        // bogdan asked for fable-5 and is being served fable-4.5 under the directive.
        var decided = decider.decide(withDirective, bogdan, "fable-5", true);
        assertEquals("fable-4.5", decided.decision().servedModel());
        UnicastProcessor<String> backend = UnicastProcessor.create();
        var stream = streams.guard(decided, backend).subscribe().withSubscriber(AssertSubscriber.create(10));

        PolicySnapshot next = TestSnapshots.compiled(4, true);
        current.offer(next);
        streams.onPolicyChanged(new PolicyChanged(next, false));
        stream.assertNotTerminated();
    }

    @Test
    void turningStaleCutsStreamsOnControlledModels() {
        PolicySnapshot snapshot = TestSnapshots.compiled(5, false);
        current.offer(snapshot);
        var fable = open(snapshot, alice, "fable-4.5", false);
        var lyric = open(snapshot, alice, "lyric-3", false);
        streams.onPolicyChanged(new PolicyChanged(snapshot, true));
        assertEquals("POLICY_STALE", cutWith(fable).getMetadataOrThrow("reason_code"));
        lyric.assertNotTerminated();
    }

    @Test
    void aSnapshotThatLandedBeforeTheStreamRegisteredIsCheckedAtOnce() {
        PolicySnapshot before = TestSnapshots.compiled(6, false);
        var decided = decider.decide(before, bogdan, "fable-5", false);
        current.offer(TestSnapshots.compiled(7, true));
        AtomicBoolean backendStarted = new AtomicBoolean();
        Multi<String> backend = Multi.createFrom().<String>nothing()
                .onSubscription().invoke(() -> backendStarted.set(true));
        var stream = streams.guard(decided, backend).subscribe().withSubscriber(AssertSubscriber.create(10));
        assertEquals("DIRECTIVE", cutWith(stream).getMetadataOrThrow("reason_code"));
        assertEquals(false, backendStarted.get(), "the backend is never called for a stream already refused");
        assertEquals(0, streams.size());
    }

    @Test
    void finishedAndCancelledStreamsLeaveTheRegistry() {
        PolicySnapshot snapshot = TestSnapshots.compiled(8, false);
        current.offer(snapshot);
        var decided = decider.decide(snapshot, alice, "lyric-3", false);
        var finished = streams.guard(decided, Multi.createFrom().items("a", "b"))
                .subscribe().withSubscriber(AssertSubscriber.create(10));
        finished.assertCompleted().assertItems("a", "b");
        var cancelled = open(snapshot, alice, "fable-5", false);
        assertEquals(1, streams.size());
        cancelled.cancel();
        assertEquals(0, streams.size());
    }
}
