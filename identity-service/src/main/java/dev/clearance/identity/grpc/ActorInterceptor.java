package dev.clearance.identity.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Carries the {@code x-clearance-actor} request metadata into the call's context, where
 * {@link Actor} reads it. Until role checks exist (issue 4) the actor is whoever the caller says
 * it is: it is recorded for the audit trail, not trusted for authorisation.
 */
@ApplicationScoped
@GlobalInterceptor
public class ActorInterceptor implements ServerInterceptor {

    static final Metadata.Key<String> HEADER = Metadata.Key.of(Actor.HEADER, Metadata.ASCII_STRING_MARSHALLER);
    static final Context.Key<String> ACTOR = Context.key("clearance-actor");

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                                                                 ServerCallHandler<ReqT, RespT> next) {
        Context context = Context.current().withValue(ACTOR, headers.get(HEADER));
        return Contexts.interceptCall(context, call, headers, next);
    }
}
