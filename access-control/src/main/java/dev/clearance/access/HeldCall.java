package dev.clearance.access;

import io.grpc.ServerCall;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.Consumer;

/**
 * The listener of a call whose credentials are still being verified: events that arrive meanwhile
 * (readiness, cancellation) are kept in order and replayed to the service's listener once the call
 * is authorised, or dropped when it is refused. No request message arrives before then, because the
 * service's handler, which asks for messages, has not started.
 */
final class HeldCall<Q> extends ServerCall.Listener<Q> {

    private final Queue<Consumer<ServerCall.Listener<Q>>> held = new ArrayDeque<>();
    private ServerCall.Listener<Q> delegate;
    private boolean draining;
    private boolean dropped;

    /** Authorised: replay what was held, then pass everything through. */
    void release(ServerCall.Listener<Q> listener) {
        synchronized (this) {
            if (dropped || delegate != null) {
                return;
            }
            delegate = listener;
            draining = true;
        }
        drain();
    }

    /** Refused: forget what was held and ignore what comes. */
    synchronized void drop() {
        dropped = true;
        held.clear();
    }

    private void drain() {
        while (true) {
            Consumer<ServerCall.Listener<Q>> event;
            synchronized (this) {
                event = held.poll();
                if (event == null) {
                    draining = false;
                    return;
                }
            }
            event.accept(delegate);
        }
    }

    private void deliver(Consumer<ServerCall.Listener<Q>> event) {
        ServerCall.Listener<Q> target;
        synchronized (this) {
            if (dropped) {
                return;
            }
            if (delegate == null || draining) {
                held.add(event);
                return;
            }
            target = delegate;
        }
        event.accept(target);
    }

    @Override
    public void onMessage(Q message) {
        deliver(l -> l.onMessage(message));
    }

    @Override
    public void onHalfClose() {
        deliver(ServerCall.Listener::onHalfClose);
    }

    @Override
    public void onCancel() {
        deliver(ServerCall.Listener::onCancel);
    }

    @Override
    public void onComplete() {
        deliver(ServerCall.Listener::onComplete);
    }

    @Override
    public void onReady() {
        deliver(ServerCall.Listener::onReady);
    }
}
