package dev.clearance.router.service;

import dev.clearance.api.ApiError;
import dev.clearance.common.v1.CallerIdentity;
import dev.clearance.policy.PolicySnapshot;
import dev.clearance.router.policy.CurrentPolicy;
import dev.clearance.router.policy.PolicyChanged;
import dev.clearance.router.policy.PolicyFreshness;
import dev.clearance.router.telemetry.RouterMetrics;
import io.grpc.StatusRuntimeException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Every StreamGenerate in flight, with who asked and which version it serves. When the policy
 * changes (a newer snapshot, or the policy turning stale) each one is decided again for the
 * version it is serving, without fallback: a stream whose version this caller may no longer use
 * ends at once with PERMISSION_DENIED / ACCESS_DENIED, with the same metadata as Generate's
 * denial (reason code, directive, citation, the version, a fresh decision id). The caller is the
 * one resolved when the stream started; identity changes are not re-checked here.
 */
@ApplicationScoped
public class OpenStreams {

    private static final Logger LOG = Logger.getLogger(OpenStreams.class);

    @Inject
    AccessDecider decider;

    @Inject
    CurrentPolicy current;

    @Inject
    PolicyFreshness freshness;

    @Inject
    RouterMetrics metrics;

    private final Set<OpenStream> open = ConcurrentHashMap.newKeySet();

    /** One stream in flight. {@code cut} ends it with an error. */
    record OpenStream(CallerIdentity caller, String servedModel, long decidedRevision, Consumer<Throwable> cut) {
    }

    /**
     * {@code source} (the backend's chunks for an allowed decision), registered for re-checks
     * while it runs: ended with the denial if a policy change refuses the served version.
     */
    public <T> Multi<T> guard(AccessDecider.Decided decided, Multi<T> source) {
        return Multi.createFrom().emitter(emitter -> {
            OpenStream stream = new OpenStream(decided.identity(), decided.decision().servedModel(),
                    decided.decision().policyRevision(), emitter::fail);
            AtomicReference<Cancellable> upstream = new AtomicReference<>();
            emitter.onTermination(() -> {
                open.remove(stream);
                Cancellable running = upstream.get();
                if (running != null) {
                    running.cancel();
                }
            });
            open.add(stream);
            // A snapshot that landed between the decision and this registration was not announced to it.
            PolicySnapshot now = current.get();
            if (now != null && now.revision() != stream.decidedRevision()) {
                recheck(stream, now, freshness.isStale());
            }
            if (!open.contains(stream)) {
                return;     // already cut
            }
            upstream.set(source.subscribe().with(emitter::emit, emitter::fail, emitter::complete));
            if (!open.contains(stream)) {
                upstream.get().cancel();    // ended while subscribing
            }
        });
    }

    void onPolicyChanged(@Observes PolicyChanged changed) {
        int cut = recheck(changed.snapshot(), changed.stale());
        if (metrics != null) {
            metrics.streamsCut(cut);
        }
        if (cut > 0) {
            LOG.infof("policy revision %d (stale=%s): cut %d of the streams in flight", changed.snapshot().revision(),
                    changed.stale(), cut);
        }
    }

    /** Re-decides every open stream on {@code snapshot}; returns how many were cut. */
    int recheck(PolicySnapshot snapshot, boolean stale) {
        int cut = 0;
        for (OpenStream stream : open) {
            if (recheck(stream, snapshot, stale)) {
                cut++;
            }
        }
        return cut;
    }

    /** Open streams now; for health and tests. */
    public int size() {
        return open.size();
    }

    private boolean recheck(OpenStream stream, PolicySnapshot snapshot, boolean stale) {
        StatusRuntimeException denial = denial(decider, snapshot, stream, stale);
        if (denial == null) {
            return false;
        }
        if (open.remove(stream)) {
            stream.cut().accept(denial);
            return true;
        }
        return false;
    }

    /** Why {@code stream} must end under {@code snapshot}, or null if it may go on. */
    static StatusRuntimeException denial(AccessDecider decider, PolicySnapshot snapshot, OpenStream stream,
                                         boolean stale) {
        try {
            AccessDecider.Decided decided = decider.decide(snapshot, stream.caller(), stream.servedModel(), false, stale);
            return decided.allowed() ? null : ModelGateway.denied(decided);
        } catch (StatusRuntimeException e) {
            // For example the version left the catalogue: NOT_FOUND, as a new request would get.
            return ApiError.isApiError(e) ? e : (StatusRuntimeException) RouterErrors.toStatus(e);
        }
    }
}
