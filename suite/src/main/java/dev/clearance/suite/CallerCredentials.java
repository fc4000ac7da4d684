package dev.clearance.suite;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;

import java.util.Map;
import java.util.function.Supplier;

/**
 * How a client proves who it is to a Clearance service: request metadata added to every call
 * ({@code authorization: Bearer <token>} or {@code x-api-key: <secret>}), plus any other headers a
 * test wants to send.
 */
public final class CallerCredentials implements ClientInterceptor {

    public static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    public static final Metadata.Key<String> API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);

    private final Supplier<Metadata> headers;

    private CallerCredentials(Supplier<Metadata> headers) {
        this.headers = headers;
    }

    /** {@code authorization: Bearer <token>}, the token read on every call so it can be refreshed. */
    public static CallerCredentials bearer(Supplier<String> token) {
        return new CallerCredentials(() -> {
            Metadata m = new Metadata();
            m.put(AUTHORIZATION, "Bearer " + token.get());
            return m;
        });
    }

    public static CallerCredentials bearer(String token) {
        return bearer(() -> token);
    }

    public static CallerCredentials apiKey(String secret) {
        return new CallerCredentials(() -> {
            Metadata m = new Metadata();
            m.put(API_KEY, secret);
            return m;
        });
    }

    /**
     * An operator of the admin APIs: their bearer token, whose roles the services check and whose
     * subject they record as the actor of every change (no header can name another actor).
     */
    public static CallerCredentials admin(Supplier<String> token) {
        return bearer(token);
    }

    /** Arbitrary ASCII headers, for example a forged {@code authorization} value. */
    public static CallerCredentials headers(Map<String, String> values) {
        return new CallerCredentials(() -> {
            Metadata m = new Metadata();
            values.forEach((k, v) -> m.put(Metadata.Key.of(k, Metadata.ASCII_STRING_MARSHALLER), v));
            return m;
        });
    }

    /** These credentials plus more headers. */
    public CallerCredentials with(Map<String, String> more) {
        CallerCredentials extra = headers(more);
        return new CallerCredentials(() -> {
            Metadata m = headers.get();
            m.merge(extra.headers.get());
            return m;
        });
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<R> listener, Metadata metadata) {
                metadata.merge(headers.get());
                super.start(listener, metadata);
            }
        };
    }
}
