package dev.clearance.router.service;

import com.google.rpc.Code;
import dev.clearance.api.ApiError;
import dev.clearance.api.mapping.CallerMapping;
import dev.clearance.api.mapping.DecisionMapping;
import dev.clearance.common.v1.CallerIdentity;
import dev.clearance.common.v1.ErrorReason;
import dev.clearance.policy.AccessRequest;
import dev.clearance.policy.BoundCaller;
import dev.clearance.policy.Decision;
import dev.clearance.policy.Evaluator;
import dev.clearance.policy.InvalidModelNameException;
import dev.clearance.policy.ModelAccess;
import dev.clearance.policy.ModelNotFoundException;
import dev.clearance.policy.PolicySnapshot;
import dev.clearance.policy.Reason;
import dev.clearance.router.auth.Credential;
import dev.clearance.router.identity.CallerDirectory;
import dev.clearance.router.location.ClientAddresses;
import dev.clearance.router.location.Location;
import dev.clearance.router.location.RequestLocator;
import dev.clearance.router.mapping.ModelAccessMapping;
import dev.clearance.router.policy.CurrentPolicy;
import dev.clearance.router.policy.PolicyFreshness;
import dev.clearance.router.v1.ListModelsResponse;
import dev.clearance.router.telemetry.DecisionLogContext;
import dev.clearance.router.telemetry.DecisionTelemetry;
import io.opentelemetry.api.trace.Span;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.jboss.logging.Logger.Level;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Decides locally: who the caller is (identity-service, cached), then the engine on the newest
 * snapshot. The order is fixed: no snapshot refuses before any I/O; the credential is resolved
 * (UNAUTHENTICATED) before the model name is looked at; only then INVALID_ARGUMENT / NOT_FOUND.
 * The request's location (client address through GeoIP) only feeds the engine's embargo check
 * ({@code regionCode} = the ISO 3166-2 region when the database knows it, else the ISO country; the
 * engine refuses when the region or its country is embargoed) and the log; it never changes the caller.
 */
@ApplicationScoped
public class AccessDecider {

    private static final Logger LOG = Logger.getLogger(AccessDecider.class);

    @Inject
    CurrentPolicy policy;

    @Inject
    CallerDirectory callers;

    @Inject
    PolicyFreshness freshness;

    @Inject
    RequestLocator locator;

    @Inject
    CallerBindings bindings;

    @Inject
    DecisionTelemetry telemetry;

    /** An engine decision with its proto form (decision id, decide time) and the caller it was made for. */
    public record Decided(Decision decision, dev.clearance.common.v1.Decision proto, CallerIdentity identity) {
        public String decisionId() {
            return proto.getDecisionId();
        }

        public boolean allowed() {
            return decision.servedModel() != null && decision.outcome() != dev.clearance.policy.Outcome.DENY;
        }
    }

    public Uni<Decided> decide(Credential credential, String model, boolean allowFallback) {
        Location location = currentLocation(); // read the gRPC context now, on the calling thread
        Span span = Span.current(); // the RPC's span; the caller may be resolved on another thread
        Uni<Decided> decided = Uni.createFrom().item(this::requireSnapshot)
                .flatMap(ignored -> callers.resolve(credential))
                .map(identity -> decide(requireSnapshot(), identity, model, allowFallback, stale(), location));
        if (telemetry == null) {
            return decided; // unit tests build the decider without CDI
        }
        return decided.invoke(d -> telemetry.decided(span, d.decisionId(), d.decision()))
                .onFailure().invoke(failure -> telemetry.refused(span, failure));
    }

    /**
     * The same decision as {@link #decide(Credential, String, boolean)}, made at once on the calling
     * thread when that needs no I/O (a snapshot is held and the caller is in the identity cache);
     * null otherwise, and the caller goes through {@code decide}. A refusal is thrown. The common
     * request thus skips the reactive pipeline, whose every stage captures and restores the
     * request's contexts (CDI, MDC, OpenTelemetry): a large share of the router's own time per call.
     */
    public Decided decideNow(Credential credential, String model, boolean allowFallback) {
        if (telemetry == null) {
            return null; // unit tests build the decider without CDI
        }
        PolicySnapshot snapshot = policy.get();
        if (snapshot == null) {
            return null; // decide() refuses it, before any I/O
        }
        CallerIdentity identity = callers.cached(credential);
        if (identity == null) {
            return null;
        }
        Span span = Span.current();
        Decided decided;
        try {
            decided = decide(snapshot, identity, model, allowFallback, stale(), currentLocation());
        } catch (RuntimeException refused) {
            telemetry.refused(span, refused);
            throw refused;
        }
        telemetry.decided(span, decided.decisionId(), decided.decision());
        return decided;
    }

    public Uni<ListModelsResponse> listModels(Credential credential) {
        Location location = currentLocation();
        return Uni.createFrom().item(this::requireSnapshot)
                .flatMap(ignored -> callers.resolve(credential))
                .map(identity -> listModels(requireSnapshot(), identity, stale(), location));
    }

    /** Where the current gRPC call comes from (see {@link ClientAddresses}); unknown without GeoIP databases. */
    Location currentLocation() {
        return locator == null ? Location.UNKNOWN : locator.locate(ClientAddresses.current());
    }

    /** Every version with whether this caller may use it now (the engine ignores the request's model). */
    ListModelsResponse listModels(PolicySnapshot snapshot, CallerIdentity identity) {
        return listModels(snapshot, identity, false);
    }

    ListModelsResponse listModels(PolicySnapshot snapshot, CallerIdentity identity, boolean stale) {
        return listModels(snapshot, identity, stale, Location.UNKNOWN);
    }

    ListModelsResponse listModels(PolicySnapshot snapshot, CallerIdentity identity, boolean stale, Location location) {
        List<ModelAccess> models = Evaluator.listModels(snapshot, CallerMapping.toCaller(identity),
                new AccessRequest(null, true, Instant.now(), location.regionCode(), stale));
        return ModelAccessMapping.toProto(models, snapshot.revision(), identity.getIdentityRevision());
    }

    Decided decide(PolicySnapshot snapshot, CallerIdentity identity, String model, boolean allowFallback) {
        return decide(snapshot, identity, model, allowFallback, false);
    }

    /**
     * The pure part: validate the model, evaluate, assign an id, log one line. A stale policy
     * makes the engine refuse controlled models with POLICY_STALE.
     */
    Decided decide(PolicySnapshot snapshot, CallerIdentity identity, String model, boolean allowFallback,
                   boolean stale) {
        return decide(snapshot, identity, model, allowFallback, stale, Location.UNKNOWN);
    }

    /** As above, for a request from {@code location}: its region (else country) is the engine's embargo check. */
    Decided decide(PolicySnapshot snapshot, CallerIdentity identity, String model, boolean allowFallback,
                   boolean stale, Location location) {
        if (model == null || model.isBlank()) {
            throw ApiError.invalidArgument(RouterErrors.DOMAIN)
                    .violation("model", "is required: a model version id or alias, such as fable-5")
                    .toException();
        }
        BoundCaller caller = bindings != null ? bindings.bind(snapshot, identity)
                : BoundCaller.bind(snapshot, CallerMapping.toCaller(identity));
        Instant now = Instant.now();
        Decision decision;
        try {
            decision = Evaluator.decide(snapshot, caller, new AccessRequest(model, allowFallback, now, location.regionCode(), stale));
        } catch (InvalidModelNameException e) {
            throw ApiError.invalidArgument(RouterErrors.DOMAIN).violation("model", e.getMessage()).toException();
        } catch (ModelNotFoundException e) {
            throw ApiError.of(Code.NOT_FOUND, ErrorReason.ERROR_REASON_MODEL_NOT_FOUND, RouterErrors.DOMAIN,
                    "model '" + e.model() + "' is not in the catalogue").put("model", e.model()).toException();
        }
        String decisionId = DecisionIds.next();
        Decided decided = new Decided(decision, DecisionMapping.toProto(decision, decisionId, now, location.toProto()), identity);
        log(decisionId, decision, location);
        return decided;
    }

    /** Whether decisions now must treat the policy as stale (one clock read, no lock). */
    boolean stale() {
        return freshness != null && freshness.isStale();
    }

    private PolicySnapshot requireSnapshot() {
        PolicySnapshot snapshot = policy.get();
        if (snapshot == null) {
            throw ApiError.unavailable(ErrorReason.ERROR_REASON_POLICY_UNAVAILABLE, RouterErrors.DOMAIN,
                    "no policy snapshot from entitlement-service yet; the request is refused").toException();
        }
        return snapshot;
    }

    /**
     * The shadow directives that would have refused the requested model, comma-separated ("" for none):
     * the decision log's {@code shadow_would_deny}, on every matching request, without changing the answer.
     */
    static String wouldDeny(Decision decision) {
        if (decision.shadowReasons().isEmpty()) {
            return "";
        }
        return decision.shadowReasons().stream()
                .map(r -> r.directive() == null ? r.code().name() : r.directive())
                .collect(Collectors.joining(","));
    }

    /**
     * Whether a decision is routine: served as asked (ALLOW), no shadow directive would have refused
     * it, and no anonymiser flag on the request. Routine decisions are logged at DEBUG, the others
     * (every DENY, every fallback, every shadow "would deny", every flagged location) at INFO. At
     * thousands of requests per second a formatted JSON line per ALLOW was the largest part of the
     * router's own CPU time; every decision is still counted in {@code clearance_router_decisions_total}.
     */
    static boolean routine(Decision decision, Location location) {
        return decision.outcome() == dev.clearance.policy.Outcome.ALLOW && decision.shadowReasons().isEmpty()
                && !location.flagged();
    }

    // Canonical ids, codes and revisions only: no person, organisation, token or prompt text.
    // The decision id is also in the MDC (decision_id), so JSON logs carry it as a field.
    static void log(String decisionId, Decision decision, Location location) {
        Level level = routine(decision, location) ? Level.DEBUG : Level.INFO;
        if (!LOG.isEnabled(level)) {
            return; // nothing formatted, no MDC touched
        }
        Reason primary = decision.primaryReason();
        String shadow = wouldDeny(decision);
        try (DecisionLogContext ignored = DecisionLogContext.of(decisionId)) {
            LOG.logf(level, "decision %s outcome=%s requested=%s served=%s reason=%s directive=%s "
                            + "shadow_would_deny=[%s] policy_revision=%d identity_revision=%d country=%s region=%s "
                            + "anonymiser=%s",
                    decisionId, decision.outcome(), decision.requestedVersion(),
                    decision.servedModel() == null ? "-" : decision.servedModel(),
                    primary == null ? "-" : primary.code(),
                    primary == null || primary.directive() == null ? "-" : primary.directive(),
                    shadow, decision.policyRevision(), decision.identityRevision(),
                    location.country() == null ? "-" : location.country(),
                    location.region() == null ? "-" : location.region(), location.flags());
        }
    }
}
