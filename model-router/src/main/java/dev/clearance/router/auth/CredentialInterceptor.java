package dev.clearance.router.auth;

import dev.clearance.api.ApiError;
import dev.clearance.common.v1.ErrorReason;
import dev.clearance.router.service.RouterErrors;
import dev.clearance.router.v1.ModelRouterServiceGrpc;
import dev.clearance.router.location.ClientAddresses;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the one credential of a router call from its metadata and puts it in the gRPC
 * {@link Context}. Only {@code authorization} and {@code x-api-key} are ever read: headers
 * that assert a nationality or status cannot influence a decision because nothing looks at
 * them. Reflection and health calls pass untouched so generic tools can explore the server.
 * It also records the client address ({@link ClientAddresses#CLIENT_ADDRESS}): the connection's
 * peer, or {@code X-Forwarded-For} when the peer is a configured trusted proxy. That address is
 * used only for the embargo check and the anonymiser flags, never for who the caller is.
 */
@GlobalInterceptor
@ApplicationScoped
public class CredentialInterceptor implements ServerInterceptor {

    public static final Context.Key<Credential> CREDENTIAL = Context.key("clearance-credential");

    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> FORWARDED_FOR =
            Metadata.Key.of("x-forwarded-for", Metadata.ASCII_STRING_MARSHALLER);

    private static final String BEARER = "bearer ";
    // Keycloak tokens are a few KiB; anything far larger is not a credential.
    private static final int MAX_CREDENTIAL_LENGTH = 16 * 1024;

    @Inject
    ClientAddresses clientAddresses;

    public CredentialInterceptor() {
    }

    /** Outside CDI (tests): with this client-address policy. */
    public CredentialInterceptor(ClientAddresses clientAddresses) {
        this.clientAddresses = clientAddresses;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        if (!ModelRouterServiceGrpc.SERVICE_NAME.equals(call.getMethodDescriptor().getServiceName())) {
            return next.startCall(call, headers);
        }
        Credential credential;
        try {
            credential = read(headers);
        } catch (StatusRuntimeException e) {
            call.close(e.getStatus(), e.getTrailers() == null ? new Metadata() : e.getTrailers());
            return new ServerCall.Listener<>() {
            };
        }
        Context context = Context.current().withValue(CREDENTIAL, credential);
        if (clientAddresses != null) {
            java.net.InetAddress client = clientAddresses.resolve(
                    call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR), headers.getAll(FORWARDED_FOR));
            if (client != null) {
                context = context.withValue(ClientAddresses.CLIENT_ADDRESS, client);
            }
        }
        return Contexts.interceptCall(context, call, headers, next);
    }

    /** Exactly one of {@code authorization: Bearer <token>} or {@code x-api-key: <secret>}. */
    static Credential read(Metadata headers) {
        List<String> authorization = values(headers, AUTHORIZATION);
        List<String> apiKeys = values(headers, API_KEY);
        if (authorization.isEmpty() && apiKeys.isEmpty()) {
            throw ApiError.unauthenticated(ErrorReason.ERROR_REASON_CREDENTIAL_MISSING, RouterErrors.DOMAIN,
                    "no credential: send 'authorization: Bearer <token>' or 'x-api-key: <secret>' metadata")
                    .toException();
        }
        if (authorization.size() + apiKeys.size() > 1) {
            throw invalid("send exactly one credential, not several");
        }
        if (!authorization.isEmpty()) {
            String value = authorization.get(0).strip();
            if (value.length() <= BEARER.length()
                    || !value.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
                throw invalid("the authorization metadata must be 'Bearer <token>'");
            }
            return Credential.bearerToken(token(value.substring(BEARER.length()).strip(), "bearer token"));
        }
        return Credential.apiKey(token(apiKeys.get(0).strip(), "API key"));
    }

    private static String token(String value, String what) {
        if (value.isEmpty() || value.length() > MAX_CREDENTIAL_LENGTH) {
            throw invalid("the " + what + " is empty or too long");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                throw invalid("the " + what + " contains whitespace or non-printable characters");
            }
        }
        return value;
    }

    private static List<String> values(Metadata headers, Metadata.Key<String> key) {
        Iterable<String> all = headers.getAll(key);
        List<String> list = new ArrayList<>();
        if (all != null) {
            all.forEach(list::add);
        }
        return list;
    }

    private static StatusRuntimeException invalid(String message) {
        return ApiError.unauthenticated(ErrorReason.ERROR_REASON_CREDENTIAL_INVALID, RouterErrors.DOMAIN, message)
                .toException();
    }

    /** The credential the interceptor put in the current gRPC context, or null outside a router call. */
    public static Credential current() {
        return CREDENTIAL.get();
    }
}
