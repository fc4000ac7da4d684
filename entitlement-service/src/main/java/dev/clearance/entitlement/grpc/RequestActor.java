package dev.clearance.entitlement.grpc;

import dev.clearance.access.Operator;

/**
 * Who is making an admin change, for the audit trail: the verified operator of the call
 * ({@code username (subject)} from the bearer token, see {@link Operator#actor()}). No header or
 * request field can name another actor.
 */
public final class RequestActor {

    /** Never recorded for a write: every write RPC requires a role, hence an operator. */
    public static final String UNKNOWN = "unknown";

    private RequestActor() {
    }

    /** The actor of the call being served; read it on the calling thread, at method entry. */
    public static String current() {
        return Operator.current().map(Operator::actor).orElse(UNKNOWN);
    }
}
