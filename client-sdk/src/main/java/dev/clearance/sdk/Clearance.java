package dev.clearance.sdk;

import dev.clearance.router.v1.ExplainAccessRequest;
import dev.clearance.router.v1.GenerateResponse;
import dev.clearance.router.v1.ListModelsRequest;
import dev.clearance.router.v1.ModelRouterServiceGrpc;
import dev.clearance.router.v1.StreamGenerateRequest;
import dev.clearance.router.v1.StreamGenerateResponse;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;

import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A client of the Clearance model router. Build one per application and share it (thread-safe); close it
 * at shutdown:
 *
 * <pre>{@code
 * try (Clearance clearance = Clearance.builder().target("localhost:9100").plaintext().apiKey(secret).build()) {
 *     Generation g = clearance.generate("fable-5", "hello");
 *     if (g.decision().fellBack()) { ... g.servedModel() ... }
 * }
 * }</pre>
 *
 * Every call carries the credential ({@code x-api-key} or {@code authorization: Bearer}), has the configured
 * deadline, and is retried only when it fails with {@code UNAVAILABLE} (backoff with jitter, bounded attempts,
 * never past the deadline). Failures are thrown as {@link ClearanceException} subclasses.
 */
public final class Clearance implements AutoCloseable {

    private final ManagedChannel channel;
    private final ModelRouterServiceGrpc.ModelRouterServiceBlockingStub stub;
    private final Duration deadline;
    private final RetryPolicy retry;

    private Clearance(ManagedChannel channel, CredentialInterceptor credentials, Duration deadline, RetryPolicy retry) {
        this.channel = channel;
        this.stub = ModelRouterServiceGrpc.newBlockingStub(channel).withInterceptors(credentials);
        this.deadline = deadline;
        this.retry = retry;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Generates with {@code model} (version or alias); an older version may serve if the requested one is refused. */
    public Generation generate(String model, String prompt) {
        return generate(GenerateRequest.of(model, prompt));
    }

    /** Generates; with {@link GenerateRequest#forbidFallback()} a refusal is an {@link AccessDeniedException}. */
    public Generation generate(GenerateRequest request) {
        dev.clearance.router.v1.GenerateRequest wire = dev.clearance.router.v1.GenerateRequest.newBuilder()
                .setModel(request.model())
                .setPrompt(request.prompt())
                .setForbidFallback(request.forbidFallback())
                .build();
        GenerateResponse r = call(d -> stub(d).generate(wire));
        return new Generation(Wire.decision(r.getDecision()), r.getServedModel(), r.getOutput());
    }

    /** Streams a generation; the first event is the decision. Close the returned stream when done. */
    public GenerationStream streamGenerate(String model, String prompt) {
        return streamGenerate(GenerateRequest.of(model, prompt));
    }

    /**
     * Streams a generation. The router's refusal (or UNAVAILABLE after retries) is thrown here, before any
     * event; retries happen only before the first message arrives. The deadline covers the whole stream.
     */
    public GenerationStream streamGenerate(GenerateRequest request) {
        StreamGenerateRequest wire = StreamGenerateRequest.newBuilder()
                .setModel(request.model())
                .setPrompt(request.prompt())
                .setForbidFallback(request.forbidFallback())
                .build();
        return call(d -> {
            Context.CancellableContext context = Context.current().withCancellation();
            try {
                Iterator<StreamGenerateResponse> events = context.call(() -> stub(d).streamGenerate(wire));
                Context previous = context.attach();
                try {
                    if (!events.hasNext()) {
                        throw new IllegalStateException("the router ended the stream without a decision");
                    }
                    StreamGenerateResponse first = events.next();
                    if (!first.hasDecision()) {
                        throw new IllegalStateException("the router's first stream message is not the decision");
                    }
                    return new GenerationStream(Wire.decision(first.getDecision()), events, context);
                } finally {
                    context.detach(previous);
                }
            } catch (StatusRuntimeException | IllegalStateException e) {
                context.cancel(null);
                throw e;
            } catch (Exception e) {
                context.cancel(null);
                throw new IllegalStateException(e);
            }
        });
    }

    /** Every model version with whether this caller may use it now, why, and the fallback it would get. */
    public ModelList listModels() {
        return Wire.models(call(d -> stub(d).listModels(ListModelsRequest.getDefaultInstance())));
    }

    /** The decision for {@code model} without calling it (fallback allowed). A DENY is a normal answer here. */
    public AccessDecision explainAccess(String model) {
        return explainAccess(model, false);
    }

    public AccessDecision explainAccess(String model, boolean forbidFallback) {
        ExplainAccessRequest wire = ExplainAccessRequest.newBuilder()
                .setModel(Objects.requireNonNull(model, "model"))
                .setForbidFallback(forbidFallback)
                .build();
        return Wire.decision(call(d -> stub(d).explainAccess(wire)).getDecision());
    }

    private ModelRouterServiceGrpc.ModelRouterServiceBlockingStub stub(long deadlineNanos) {
        return stub.withDeadline(Deadline.after(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS));
    }

    private <T> T call(java.util.function.Function<Long, T> attempt) {
        return retry.run(System.nanoTime() + deadline.toNanos(), attempt);
    }

    /** Shuts the channel down, waiting up to 5 s for calls in flight. */
    @Override
    public void close() {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    public static final class Builder {
        private String target;
        private ManagedChannel channel;
        private boolean plaintext;
        private String apiKey;
        private TokenProvider tokens;
        private Duration deadline = Duration.ofSeconds(30);
        private int maxAttempts = 4;
        private Duration initialBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(5);

        private Builder() {
        }

        /** The router, {@code host:port} or any gRPC target ({@code dns:///router.example.com:443}). */
        public Builder target(String target) {
            this.target = target;
            return this;
        }

        /** Use this channel instead of building one from {@link #target}; {@link Clearance#close()} shuts it down. */
        public Builder channel(ManagedChannel channel) {
            this.channel = channel;
            return this;
        }

        /** No TLS (local development, a sidecar). The default is TLS. */
        public Builder plaintext() {
            this.plaintext = true;
            return this;
        }

        /** Authenticate with an API key ({@code x-api-key}). Exclusive with {@link #tokenProvider}. */
        public Builder apiKey(String secret) {
            this.apiKey = secret;
            return this;
        }

        /** Authenticate with bearer tokens, e.g. {@link KeycloakClientCredentials}. Exclusive with {@link #apiKey}. */
        public Builder tokenProvider(TokenProvider tokens) {
            this.tokens = tokens;
            return this;
        }

        /** Deadline of each call including its retries (default 30 s; for streams, the whole stream). */
        public Builder deadline(Duration deadline) {
            if (deadline.isNegative() || deadline.isZero()) {
                throw new IllegalArgumentException("deadline must be positive");
            }
            this.deadline = deadline;
            return this;
        }

        /**
         * Attempts in all for a call failing with UNAVAILABLE (default 4; 1 = no retry) and the first backoff
         * (default 100 ms, doubling with jitter, capped at 5 s).
         */
        public Builder retry(int maxAttempts, Duration initialBackoff) {
            this.maxAttempts = maxAttempts;
            this.initialBackoff = initialBackoff;
            return this;
        }

        /** Cap of the backoff between retries (default 5 s). */
        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
            return this;
        }

        public Clearance build() {
            if ((apiKey == null) == (tokens == null)) {
                throw new IllegalStateException("set exactly one credential: apiKey(...) or tokenProvider(...)");
            }
            if (apiKey != null && apiKey.isBlank()) {
                throw new IllegalStateException("apiKey must not be blank");
            }
            if ((target == null) == (channel == null)) {
                throw new IllegalStateException("set target(...) (or channel(...))");
            }
            RetryPolicy policy = new RetryPolicy(maxAttempts, initialBackoff, maxBackoff);
            CredentialInterceptor credentials = apiKey != null ? CredentialInterceptor.apiKey(apiKey)
                    : CredentialInterceptor.bearer(tokens);
            ManagedChannel ch = channel;
            if (ch == null) {
                ManagedChannelBuilder<?> b = ManagedChannelBuilder.forTarget(target).userAgent("clearance-java-sdk");
                ch = (plaintext ? b.usePlaintext() : b.useTransportSecurity()).build();
            }
            return new Clearance(ch, credentials, deadline, policy);
        }
    }
}
