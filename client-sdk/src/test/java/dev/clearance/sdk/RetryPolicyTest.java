package dev.clearance.sdk;

import dev.clearance.api.ApiError;
import dev.clearance.common.v1.Decision;
import dev.clearance.common.v1.ErrorReason;
import dev.clearance.common.v1.ModelReference;
import dev.clearance.router.v1.ExplainAccessRequest;
import dev.clearance.router.v1.ExplainAccessResponse;
import dev.clearance.router.v1.ModelRouterServiceGrpc;
import dev.clearance.router.v1.StreamGenerateRequest;
import dev.clearance.router.v1.StreamGenerateResponse;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SDK's own retry policy and error mapping, against an in-process gRPC server that counts calls and
 * answers scripted errors. This is a stand-in for the network, not for the router: what the router decides is
 * tested against the real router in {@link ClearanceAgainstRealRouterTest}.
 */
class RetryPolicyTest {

    private final AtomicInteger calls = new AtomicInteger();
    private final Deque<StatusRuntimeException> failures = new ArrayDeque<>();
    private final List<Metadata> headers = new CopyOnWriteArrayList<>();
    private Server server;
    private String name;

    @BeforeEach
    void start() throws Exception {
        name = InProcessServerBuilder.generateName();
        var service = new ModelRouterServiceGrpc.ModelRouterServiceImplBase() {
            @Override
            public void explainAccess(ExplainAccessRequest request, StreamObserver<ExplainAccessResponse> out) {
                calls.incrementAndGet();
                StatusRuntimeException failure;
                synchronized (failures) {
                    failure = failures.isEmpty() ? null : failures.size() == 1 ? failures.peek() : failures.poll();
                }
                if (failure != null && failure.getStatus().getCode() != Status.Code.OK) {
                    out.onError(failure);
                    return;
                }
                out.onNext(ExplainAccessResponse.newBuilder().setDecision(Decision.newBuilder()
                        .setDecisionId("d-1").setOutcome(dev.clearance.common.v1.Outcome.OUTCOME_ALLOW)
                        .setRequestedModel(ModelReference.newBuilder().setRequested(request.getModel())
                                .setVersion(request.getModel()))
                        .setServedModel(request.getModel())).build());
                out.onCompleted();
            }

            @Override
            public void streamGenerate(StreamGenerateRequest request, StreamObserver<StreamGenerateResponse> out) {
                calls.incrementAndGet();
                StatusRuntimeException failure;
                synchronized (failures) {
                    failure = failures.isEmpty() ? null : failures.size() == 1 ? failures.peek() : failures.poll();
                }
                if (failure != null && failure.getStatus().getCode() != Status.Code.OK) {
                    out.onError(failure);
                    return;
                }
                out.onNext(StreamGenerateResponse.newBuilder().setDecision(Decision.newBuilder()
                        .setDecisionId("d-2").setOutcome(dev.clearance.common.v1.Outcome.OUTCOME_ALLOW)
                        .setServedModel(request.getModel())).build());
                out.onNext(StreamGenerateResponse.newBuilder().setText("a").build());
                if (request.getPrompt().equals("cut")) {
                    out.onError(ApiError.of(com.google.rpc.Code.PERMISSION_DENIED,
                            ErrorReason.ERROR_REASON_ACCESS_DENIED, "router.clearance.dev", "cut")
                            .put("reason_code", "DIRECTIVE").put("directive", "directives/x").toException());
                    return;
                }
                out.onNext(StreamGenerateResponse.newBuilder().setText("b").build());
                out.onCompleted();
            }
        };
        ServerInterceptor recordHeaders = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata h,
                                                               ServerCallHandler<Q, R> next) {
                headers.add(h);
                return next.startCall(call, h);
            }
        };
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(ServerInterceptors.intercept(service, recordHeaders)).build().start();
    }

    @AfterEach
    void stop() {
        server.shutdownNow();
    }

    private Clearance client(int attempts, Duration backoff, Duration deadline) {
        return Clearance.builder().channel(InProcessChannelBuilder.forName(name).directExecutor().build())
                .apiKey("secret-1").retry(attempts, backoff).deadline(deadline).build();
    }

    /** The given failures in order; the last one repeats forever ({@code OK} = succeed from then on). */
    private void script(StatusRuntimeException... sequence) {
        failures.addAll(List.of(sequence));
    }

    private static StatusRuntimeException ok() {
        return Status.OK.asRuntimeException();
    }

    private static StatusRuntimeException unavailable() {
        return ApiError.unavailable(ErrorReason.ERROR_REASON_POLICY_UNAVAILABLE, "router.clearance.dev",
                "no policy snapshot yet").toException();
    }

    @Test
    void unavailableIsRetriedUntilItSucceeds() {
        script(unavailable(), unavailable(), ok());
        try (Clearance c = client(4, Duration.ofMillis(5), Duration.ofSeconds(5))) {
            assertEquals("fable-5", c.explainAccess("fable-5").servedModel());
        }
        assertEquals(3, calls.get());
    }

    @Test
    void unavailableStopsAfterMaxAttemptsWithTheReason() {
        script(unavailable());
        try (Clearance c = client(3, Duration.ofMillis(5), Duration.ofSeconds(5))) {
            UnavailableException e = assertThrows(UnavailableException.class, () -> c.explainAccess("fable-5"));
            assertEquals("POLICY_UNAVAILABLE", e.reason());
            assertEquals(Status.Code.UNAVAILABLE, e.grpcCode());
        }
        assertEquals(3, calls.get());
    }

    @Test
    void permissionDeniedIsNeverRetriedAndCarriesTheDecision() {
        script(ApiError.of(com.google.rpc.Code.PERMISSION_DENIED, ErrorReason.ERROR_REASON_ACCESS_DENIED,
                "router.clearance.dev", "fable-5 refused").put("decision_id", "d-9").put("reason_code", "DIRECTIVE")
                .put("directive", "directives/x").put("citation", "15 CFR 744").put("model", "fable-5").toException());
        try (Clearance c = client(5, Duration.ofMillis(5), Duration.ofSeconds(5))) {
            AccessDeniedException e = assertThrows(AccessDeniedException.class, () -> c.explainAccess("fable-5"));
            assertEquals("ACCESS_DENIED", e.reason());
            assertEquals(ReasonCode.DIRECTIVE, e.reasonCode());
            assertEquals("directives/x", e.directive().orElseThrow());
            assertEquals("15 CFR 744", e.citation().orElseThrow());
            assertEquals("d-9", e.decisionId().orElseThrow());
        }
        assertEquals(1, calls.get());
    }

    @Test
    void invalidArgumentIsNeverRetriedAndCarriesTheViolations() {
        script(ApiError.invalidArgument("router.clearance.dev").violation("model", "must not be empty").toException());
        try (Clearance c = client(5, Duration.ofMillis(5), Duration.ofSeconds(5))) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> c.explainAccess(""));
            assertEquals(List.of(new FieldViolation("model", "must not be empty")), e.violations());
        }
        assertEquals(1, calls.get());
    }

    @Test
    void unauthenticatedIsNeverRetried() {
        script(ApiError.unauthenticated(ErrorReason.ERROR_REASON_CREDENTIAL_INVALID, "router.clearance.dev",
                "unknown key").toException());
        try (Clearance c = client(5, Duration.ofMillis(5), Duration.ofSeconds(5))) {
            UnauthenticatedException e = assertThrows(UnauthenticatedException.class, () -> c.explainAccess("fable-5"));
            assertEquals("CREDENTIAL_INVALID", e.reason());
        }
        assertEquals(1, calls.get());
    }

    @Test
    void otherCodesAreNotRetried() {
        script(ApiError.notFound("router.clearance.dev", "models/nope").toException());
        try (Clearance c = client(5, Duration.ofMillis(5), Duration.ofSeconds(5))) {
            assertThrows(ModelNotFoundException.class, () -> c.explainAccess("nope"));
        }
        assertEquals(1, calls.get());
    }

    @Test
    void retriesNeverGoPastTheDeadline() {
        script(unavailable());
        try (Clearance c = client(100, Duration.ofMillis(100), Duration.ofMillis(600))) {
            assertThrows(UnavailableException.class, () -> c.explainAccess("fable-5"));
        }
        // Every wait is at least 50 ms (half the 100 ms backoff) and no wait may end after the 600 ms deadline,
        // so at most 12 waits fit: at most 13 attempts of the 100 allowed, however slow the machine is.
        assertTrue(calls.get() >= 1 && calls.get() <= 13, "a few attempts, not 100: " + calls.get());
    }

    @Test
    void aWaitThatWouldEndAfterTheDeadlineIsNotTaken() {
        RetryPolicy policy = new RetryPolicy(100, Duration.ofMillis(100), Duration.ofMillis(100));
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        // The shortest possible wait (50 ms) already ends after a deadline 40 ms away: one attempt, no sleep.
        assertThrows(UnavailableException.class, () -> policy.run(System.nanoTime() + 40_000_000L, deadline -> {
            attempts.incrementAndGet();
            throw unavailable();
        }));
        assertEquals(1, attempts.get());
    }

    @Test
    void backoffDoublesUpToTheCapAndJitterStaysWithinHalfToFull() {
        RetryPolicy p = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofMillis(500));
        assertEquals(Duration.ofMillis(100).toNanos(), p.backoffNanos(1));
        assertEquals(Duration.ofMillis(200).toNanos(), p.backoffNanos(2));
        assertEquals(Duration.ofMillis(400).toNanos(), p.backoffNanos(3));
        assertEquals(Duration.ofMillis(500).toNanos(), p.backoffNanos(4));
        assertEquals(Duration.ofMillis(500).toNanos(), p.backoffNanos(60));
        for (int i = 0; i < 1000; i++) {
            long j = RetryPolicy.jittered(1000);
            assertTrue(j >= 500 && j <= 1000, "jitter " + j);
        }
    }

    @Test
    void theApiKeyIsSentAsXApiKeyOnEveryAttempt() {
        script(unavailable(), ok());
        try (Clearance c = client(3, Duration.ofMillis(5), Duration.ofSeconds(5))) {
            c.explainAccess("fable-5");
        }
        assertEquals(2, headers.size());
        for (Metadata h : headers) {
            assertEquals("secret-1", h.get(CredentialInterceptor.API_KEY));
            assertEquals(null, h.get(CredentialInterceptor.AUTHORIZATION));
        }
    }

    @Test
    void aTokenProviderIsSentAsBearer() {
        script(ok());
        try (Clearance c = Clearance.builder().channel(InProcessChannelBuilder.forName(name).directExecutor().build())
                .tokenProvider(() -> "tok-1").build()) {
            c.explainAccess("fable-5");
        }
        assertEquals("Bearer tok-1", headers.get(0).get(CredentialInterceptor.AUTHORIZATION));
        assertEquals(null, headers.get(0).get(CredentialInterceptor.API_KEY));
    }

    @Test
    void theBuilderRequiresExactlyOneCredential() {
        assertThrows(IllegalStateException.class, () -> Clearance.builder().target("localhost:1").build());
        assertThrows(IllegalStateException.class, () -> Clearance.builder().target("localhost:1").apiKey("a")
                .tokenProvider(() -> "t").build());
    }

    @Test
    void aStreamStartIsRetriedOnUnavailableAndTheFirstEventIsTheDecision() {
        script(unavailable(), ok());
        try (Clearance c = client(3, Duration.ofMillis(5), Duration.ofSeconds(5));
             GenerationStream s = c.streamGenerate("fable-5", "hi")) {
            StreamEvent first = s.next();
            assertEquals("d-2", ((StreamEvent.Decision) first).decision().decisionId());
            assertEquals("ab", s.text());
        }
        assertEquals(2, calls.get());
    }

    @Test
    void aStreamCutInFlightIsAnAccessDeniedFromTheIterator() {
        script(ok());
        try (Clearance c = client(3, Duration.ofMillis(5), Duration.ofSeconds(5));
             GenerationStream s = c.streamGenerate("fable-5", "cut")) {
            assertEquals(StreamEvent.Decision.class, s.next().getClass());
            assertEquals(new StreamEvent.Text("a"), s.next());
            AccessDeniedException e = assertThrows(AccessDeniedException.class, s::hasNext);
            assertEquals("directives/x", e.directive().orElseThrow());
        }
        assertEquals(1, calls.get());
    }

    @Test
    void aStreamRefusedAtTheStartIsNotRetried() {
        script(ApiError.of(com.google.rpc.Code.PERMISSION_DENIED, ErrorReason.ERROR_REASON_ACCESS_DENIED,
                "router.clearance.dev", "refused").toException());
        try (Clearance c = client(3, Duration.ofMillis(5), Duration.ofSeconds(5))) {
            assertThrows(AccessDeniedException.class, () -> c.streamGenerate("fable-5", "hi"));
        }
        assertEquals(1, calls.get());
    }
}
