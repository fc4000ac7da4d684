package dev.clearance.access;

import io.grpc.Context;

import java.util.Optional;
import java.util.Set;

/**
 * The verified person or service account behind an admin RPC, as established by
 * {@link AccessInterceptor} from the bearer token. The only source of "who did this" in the audit
 * trail: no request field or header can name another actor.
 *
 * @param subject     the token's {@code sub}: stable, unique in the realm
 * @param username    {@code preferred_username}, for display; null when the token has none
 * @param bearerToken the verified token itself, to call another Clearance service on the operator's
 *                    behalf ({@link #onBehalf}); never logged ({@link #toString()} leaves it out)
 */
public record Operator(String subject, String username, Set<String> roles, String bearerToken) {

    static final Context.Key<Operator> KEY = Context.key("clearance-operator");
    private static final int MAX_USERNAME = 100;

    public Operator {
        roles = Set.copyOf(roles);
    }

    static Operator of(VerifiedToken token, String bearerToken) {
        return new Operator(token.subject(), token.preferredUsername(), token.roles(), bearerToken);
    }

    /**
     * {@code stub} calling as this operator (their bearer token), so the other service checks the
     * operator's own roles: a service never lends its callers more rights than they have.
     */
    public <S extends io.grpc.stub.AbstractStub<S>> S onBehalf(S stub) {
        io.grpc.Metadata headers = new io.grpc.Metadata();
        headers.put(AccessInterceptor.AUTHORIZATION, "Bearer " + bearerToken);
        return stub.withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    @Override
    public String toString() {
        return "Operator[" + actor() + ", roles=" + roles + "]";
    }

    /** The operator of the call being served; empty on network-only RPCs. Read on the call's thread. */
    public static Optional<Operator> current() {
        return Optional.ofNullable(KEY.get());
    }

    /**
     * How the audit trail names this operator: {@code username (subject)}, or the subject alone.
     * Two operators never share it (the subject is part of it); control characters cannot forge a
     * line because the username is reduced to printable ASCII.
     */
    public String actor() {
        String display = printable(username);
        return display.isEmpty() ? subject : display + " (" + subject + ")";
    }

    private static String printable(String raw) {
        if (raw == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < raw.length() && b.length() < MAX_USERNAME; i++) {
            char c = raw.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '(' && c != ')') {
                b.append(c);
            }
        }
        return b.toString().strip();
    }
}
