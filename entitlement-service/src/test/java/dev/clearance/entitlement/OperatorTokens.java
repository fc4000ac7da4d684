package dev.clearance.entitlement;

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
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Stands in for Keycloak in service tests: the JWKS of one {@link TestIssuer} is served at
 * {@code /test-jwks} on the test HTTP port (see %test config), and every call of an injected client
 * carries a token of {@link #DEFAULT_OPERATOR} (all three roles) unless it already has an
 * {@code authorization} header ({@link #as}) or asks for none ({@link #anonymous}). The role tests
 * use explicit tokens on a plain channel.
 */
@ApplicationScoped
@GlobalInterceptor
public class OperatorTokens implements ClientInterceptor {

    public static final TestIssuer KEYS = new TestIssuer();
    public static final String DEFAULT_OPERATOR = "test-operator";
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final CallOptions.Key<Boolean> ANONYMOUS = CallOptions.Key.createWithDefault("clearance-anonymous", false);

    void routes(@Observes Router router) {
        String jwks = KEYS.jwksJson();
        router.get("/test-jwks").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json").end(jwks));
    }

    /** The stub with a token for {@code username} (also its subject) holding {@code roles}. */
    public static <S extends AbstractStub<S>> S as(S stub, String username, String... roles) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + KEYS.token(username, username, roles));
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** The stub sending no credential at all. */
    public static <S extends AbstractStub<S>> S anonymous(S stub) {
        return stub.withOption(ANONYMOUS, true);
    }

    /** How the service records an operator whose username and subject are both {@code username}. */
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
                    headers.put(AUTHORIZATION, "Bearer " + KEYS.token(DEFAULT_OPERATOR, DEFAULT_OPERATOR,
                            TestIssuer.ADMIN, TestIssuer.COMPLIANCE, TestIssuer.AUDITOR));
                }
                super.start(listener, headers);
            }
        };
    }
}
