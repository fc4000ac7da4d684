package dev.clearance.entitlement.metrics;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/**
 * Counts every write RPC by method and status code ({@code clearance_entitlement_writes_total}).
 * A write is any EntitlementService method that is not a read or a router's call (Get, List,
 * Check, Watch, Acknowledge, Preview, Explain), so write RPCs added later are counted too.
 * Method names come from the service descriptor, never from the request.
 */
@GlobalInterceptor
@ApplicationScoped
public class WriteMetricsInterceptor implements ServerInterceptor {

    private static final String SERVICE = "clearance.entitlement.v1.EntitlementService/";
    private static final List<String> NOT_WRITES = List.of("Get", "List", "Check", "Watch", "Acknowledge", "Preview",
            "Explain");

    @Inject
    MeterRegistry registry;

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        String full = call.getMethodDescriptor().getFullMethodName();
        if (!full.startsWith(SERVICE)) {
            return next.startCall(call, headers);
        }
        String rpc = full.substring(SERVICE.length());
        for (String prefix : NOT_WRITES) {
            if (rpc.startsWith(prefix)) {
                return next.startCall(call, headers);
            }
        }
        return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                Counter.builder("clearance.entitlement.writes")
                        .description("Write RPCs by method and gRPC status code")
                        .tags("rpc", rpc, "code", status.getCode().name())
                        .register(registry).increment();
                super.close(status, trailers);
            }
        }, headers);
    }
}
