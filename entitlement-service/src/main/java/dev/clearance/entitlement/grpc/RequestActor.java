package dev.clearance.entitlement.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Who is making an admin change, for the audit trail. For now taken from the
 * {@code x-clearance-actor} metadata header; a later issue derives it from the verified
 * Keycloak token (and enforces the admin and compliance roles).
 */
@ApplicationScoped
@GlobalInterceptor
public class RequestActor implements ServerInterceptor {

    public static final String UNKNOWN = "unknown";
    static final Metadata.Key<String> HEADER = Metadata.Key.of("x-clearance-actor", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> ACTOR = Context.key("clearance-actor");
    private static final int MAX_LENGTH = 256;

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        return Contexts.interceptCall(Context.current().withValue(ACTOR, sanitise(headers.get(HEADER))), call, headers, next);
    }

    /** The actor of the call being served; read it on the calling thread, at method entry. */
    public static String current() {
        String actor = ACTOR.get();
        return actor == null ? UNKNOWN : actor;
    }

    /** Printable ASCII only, bounded, so the audit trail cannot be forged with control characters. */
    static String sanitise(String raw) {
        if (raw == null) {
            return UNKNOWN;
        }
        StringBuilder sb = new StringBuilder();
        for (char c : raw.strip().toCharArray()) {
            if (c >= 0x20 && c < 0x7f && sb.length() < MAX_LENGTH) {
                sb.append(c);
            }
        }
        return sb.isEmpty() ? UNKNOWN : sb.toString();
    }
}
