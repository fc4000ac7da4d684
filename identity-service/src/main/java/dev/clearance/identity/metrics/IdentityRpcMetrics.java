package dev.clearance.identity.metrics;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/** Times ResolveCaller and counts open WatchIdentityChanges streams, without touching the service. */
@GlobalInterceptor
@ApplicationScoped
public class IdentityRpcMetrics implements ServerInterceptor {

    private static final String RESOLVE = "clearance.identity.v1.IdentityService/ResolveCaller";
    private static final String WATCH = "clearance.identity.v1.IdentityService/WatchIdentityChanges";

    @Inject
    IdentityMetrics metrics;

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        if (RESOLVE.equals(method)) {
            long start = System.nanoTime();
            return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                @Override
                public void close(Status status, Metadata trailers) {
                    metrics.resolvedCaller(status.getCode().name(), Duration.ofNanos(System.nanoTime() - start));
                    super.close(status, trailers);
                }
            }, headers);
        }
        if (WATCH.equals(method)) {
            metrics.changeSubscriberOpened();
            AtomicBoolean closed = new AtomicBoolean();
            Runnable close = () -> {
                if (closed.compareAndSet(false, true)) {
                    metrics.changeSubscriberClosed();
                }
            };
            ServerCall.Listener<Q> listener;
            try {
                listener = next.startCall(call, headers);
            } catch (RuntimeException e) {
                close.run();
                throw e;
            }
            return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
                @Override
                public void onCancel() {
                    close.run();
                    super.onCancel();
                }

                @Override
                public void onComplete() {
                    close.run();
                    super.onComplete();
                }
            };
        }
        return next.startCall(call, headers);
    }
}
