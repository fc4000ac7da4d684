package dev.clearance.sdk;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;

/** Sends exactly one credential on every call: {@code x-api-key: <secret>} or {@code authorization: Bearer <token>}. */
final class CredentialInterceptor implements ClientInterceptor {

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);

    private final String apiKey;
    private final TokenProvider tokens;

    private CredentialInterceptor(String apiKey, TokenProvider tokens) {
        this.apiKey = apiKey;
        this.tokens = tokens;
    }

    static CredentialInterceptor apiKey(String secret) {
        return new CredentialInterceptor(secret, null);
    }

    static CredentialInterceptor bearer(TokenProvider tokens) {
        return new CredentialInterceptor(null, tokens);
    }

    /** Resolved before the call starts, so a token-provider failure surfaces as the caller's exception. */
    void apply(Metadata headers, String token) {
        if (apiKey != null) {
            headers.put(API_KEY, apiKey);
        } else {
            headers.put(AUTHORIZATION, "Bearer " + token);
        }
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        String token = apiKey == null ? tokens.accessToken() : null;
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<R> listener, Metadata headers) {
                apply(headers, token);
                super.start(listener, headers);
            }
        };
    }
}
