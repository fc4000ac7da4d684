package dev.clearance.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clearance.entitlement.v1.EntitlementServiceGrpc;
import dev.clearance.identity.v1.IdentityServiceGrpc;
import dev.clearance.router.v1.ModelRouterServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.netty.NettyChannelBuilder;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC stubs a command uses, each call with {@code authorization: Bearer <token>}. Channels are opened on
 * first use and closed with the command.
 */
public final class Api implements AutoCloseable {

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);
    /**
     * Who makes an admin change, as the services recorded it before they derived it from the verified token.
     * Sent as a label taken from the token (never trusted by a service that checks roles).
     */
    static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Targets targets;
    private final List<ManagedChannel> channels = new ArrayList<>();

    public Api(Targets targets) {
        this.targets = targets;
    }

    public EntitlementServiceGrpc.EntitlementServiceBlockingStub entitlement(String token) {
        return EntitlementServiceGrpc.newBlockingStub(open(targets.entitlement()))
                .withInterceptors(bearer(token)).withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    public IdentityServiceGrpc.IdentityServiceBlockingStub identity(String token) {
        return IdentityServiceGrpc.newBlockingStub(open(targets.identity()))
                .withInterceptors(bearer(token)).withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The router as a caller: a bearer token or an API key (exactly one non-null). */
    public ModelRouterServiceGrpc.ModelRouterServiceBlockingStub router(String token, String apiKey) {
        Metadata headers = new Metadata();
        if (apiKey != null) {
            headers.put(API_KEY, apiKey);
        } else {
            headers.put(AUTHORIZATION, "Bearer " + token);
        }
        return ModelRouterServiceGrpc.newBlockingStub(open(targets.router()))
                .withInterceptors(headers(headers)).withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private ManagedChannel open(String target) {
        NettyChannelBuilder builder = NettyChannelBuilder.forTarget(target);
        if (targets.tls()) {
            builder.useTransportSecurity();
        } else {
            builder.usePlaintext();
        }
        ManagedChannel channel = builder.build();
        channels.add(channel);
        return channel;
    }

    private static ClientInterceptor bearer(String token) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + token);
        return headers(headers);
    }

    /**
     * {@code preferred_username} (else {@code sub}) of a JWT, read without verification: a label for
     * what the CLI prints, never sent (the services take the actor from the verified token).
     */
    static String actorLabel(String token) {
        String[] parts = token.split("\\.");
        if (parts.length < 2) {
            return null;
        }
        try {
            JsonNode claims = JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            String name = claims.path("preferred_username").asText(claims.path("sub").asText(""));
            return name.isEmpty() || !name.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? null : name;
        } catch (Exception e) {
            return null;
        }
    }

    private static ClientInterceptor headers(Metadata extra) {
        return new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options,
                                                         Channel next) {
                return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                    @Override
                    public void start(Listener<R> listener, Metadata headers) {
                        headers.merge(extra);
                        super.start(listener, headers);
                    }
                };
            }
        };
    }

    @Override
    public void close() {
        for (ManagedChannel c : channels) {
            c.shutdownNow();
        }
        for (ManagedChannel c : channels) {
            try {
                c.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
