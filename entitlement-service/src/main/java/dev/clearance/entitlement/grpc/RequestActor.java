package dev.clearance.entitlement.grpc;

import dev.clearance.access.Operator;
import dev.clearance.entitlement.domain.Officer;

/**
 * Who is making an admin change, for the audit trail: the verified operator of the call
 * ({@code username (subject)} from the bearer token, see {@link Operator#actor()}). No header or
 * request field can name another actor.
 */
public final class RequestActor {

    /** Never recorded for a write: every write RPC requires a role, hence an operator. */
    public static final String UNKNOWN = Officer.UNKNOWN;

    private RequestActor() {
    }

    /** The operator of the call being served as a directive officer (subject and actor); read at method entry. */
    public static Officer officer() {
        return Operator.current().map(o -> new Officer(o.subject(), o.actor())).orElse(new Officer(UNKNOWN, UNKNOWN));
    }

    /** The actor of the call being served; read it on the calling thread, at method entry. */
    public static String current() {
        return Operator.current().map(Operator::actor).orElse(UNKNOWN);
    }
}
