package dev.clearance.identity.support;

import dev.clearance.testing.TestIssuer;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Bearer tokens for the tests' gRPC clients. Every call of an injected client carries a token of
 * {@link #DEFAULT_OPERATOR} (all three roles) unless it already has an {@code authorization}
 * header ({@link #as}) or asks for none ({@link #anonymous}); the role tests use explicit tokens.
 */
@ApplicationScoped
@GlobalInterceptor
public class OperatorTokens implements ClientInterceptor {

    public static final String DEFAULT_OPERATOR = "test-operator";
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final CallOptions.Key<Boolean> ANONYMOUS = CallOptions.Key.createWithDefault("clearance-anonymous", false);

    /** The stub with a token for {@code username} (also its subject) holding {@code roles}. */
    public static <S extends AbstractStub<S>> S as(S stub, String username, String... roles) {
        return withToken(stub, TestRealm.KEYS.token(username, username, roles));
    }

    /** The stub sending exactly this bearer token. */
    public static <S extends AbstractStub<S>> S withToken(S stub, String token) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** The stub sending no credential at all. */
    public static <S extends AbstractStub<S>> S anonymous(S stub) {
        return stub.withOption(ANONYMOUS, true);
    }

    /** How the services record an operator whose username and subject are both {@code username}. */
    public static String actor(String username) {
        return username + " (" + username + ")";
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        boolean anonymous = options.getOption(ANONYMOUS);
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<R> listener, Metadata headers) {
                if (!anonymous && !headers.containsKey(AUTHORIZATION)) {
                    headers.put(AUTHORIZATION, "Bearer " + TestRealm.KEYS.token(DEFAULT_OPERATOR, DEFAULT_OPERATOR,
                            TestIssuer.ADMIN, TestIssuer.COMPLIANCE, TestIssuer.AUDITOR));
                }
                super.start(listener, headers);
            }
        };
    }
}
