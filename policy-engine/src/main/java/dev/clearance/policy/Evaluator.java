package dev.clearance.policy;

import dev.clearance.policy.PolicySnapshot.CompiledDirective;
import dev.clearance.policy.PolicySnapshot.EntitlementSource;
import dev.clearance.policy.PolicySnapshot.HolderEntitlements;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The one evaluator: entitlement-service's {@code Check} and every router call it, so the two
 * can never disagree for the same input and revision. Stateless and free of I/O.
 *
 * <p>Order (DESIGN.md): kill switch, sanctions and embargo, stale policy, directives,
 * entitlement. Deny overrides. Directives and entitlement are both evaluated so that the
 * explanation is complete; when the caller is not entitled at all, NOT_ENTITLED is the primary
 * reason (a model the caller could never use is not one the directive took away) and the
 * directive follows it. Only directive and entitlement denials may fall back.
 */
public final class Evaluator {

    /**
     * The citation of an EMBARGOED_REGION reason: the comprehensive embargoes (Cuba 746.2, Iran 746.7,
     * North Korea 746.4, Syria 746.9, the Crimea, DNR and LNR regions of Ukraine 746.6).
     */
    public static final String EMBARGO_CITATION = "15 CFR Part 746";

    private Evaluator() {
    }

    /**
     * Decides one request.
     *
     * @throws InvalidModelNameException when the name cannot be a model name
     * @throws ModelNotFoundException    when the name is neither a version nor an alias
     */
    public static Decision decide(PolicySnapshot snapshot, Caller caller, AccessRequest request) {
        return decide(snapshot, BoundCaller.bind(snapshot, caller), request);
    }

    /**
     * Decides one request for a caller bound to a snapshot beforehand (a router binds each cached
     * identity once per snapshot). A binding made against another snapshot is bound again here,
     * so a stale binding costs time, never correctness.
     *
     * @throws InvalidModelNameException when the name cannot be a model name
     * @throws ModelNotFoundException    when the name is neither a version nor an alias
     */
    public static Decision decide(PolicySnapshot snapshot, BoundCaller bound, AccessRequest request) {
        if (!bound.isBoundTo(snapshot)) {
            bound = BoundCaller.bind(snapshot, bound.caller());
        }
        int requested = snapshot.resolveCanonical(request.model());
        if (requested < 0) {
            String name = ModelName.normalise(request.model());
            requested = snapshot.resolve(name);
            if (requested < 0) {
                throw new ModelNotFoundException(name);
            }
        }
        long now = VersionSet.nanos(request.now());
        Verdict verdict = evaluate(snapshot, bound, request, now, requested);
        String requestedId = snapshot.versionId(requested);
        String family = snapshot.family(requested);
        if (verdict.allowed()) {
            return new Decision(Outcome.ALLOW, request.model(), requestedId, family, requestedId,
                    verdict.reasons(), verdict.shadow(), snapshot.revision(), bound.identityRevision);
        }
        if (request.allowFallback() && verdict.fallbackEligible()) {
            for (int older : snapshot.olderVersions(requested)) {
                if (!bound.entitled(older, now)) {
                    continue; // cannot be allowed: no need to evaluate the rest
                }
                Verdict candidate = evaluate(snapshot, bound, request, now, older);
                if (candidate.allowed()) {
                    return new Decision(Outcome.ALLOW_FALLBACK, request.model(), requestedId, family,
                            snapshot.versionId(older), concat(verdict.reasons(), candidate.reasons()),
                            concat(verdict.shadow(), candidate.shadow()), snapshot.revision(), bound.identityRevision);
                }
            }
        }
        return new Decision(Outcome.DENY, request.model(), requestedId, family, null,
                verdict.reasons(), verdict.shadow(), snapshot.revision(), bound.identityRevision);
    }

    /**
     * What the caller may use now: every version in catalogue order, with its reasons and, when
     * refused, the version a fallback request would be served. The request's model is ignored.
     */
    public static List<ModelAccess> listModels(PolicySnapshot snapshot, Caller caller, AccessRequest request) {
        List<ModelAccess> out = new ArrayList<>(snapshot.versionCount());
        BoundCaller bound = BoundCaller.bind(snapshot, caller);
        long now = VersionSet.nanos(request.now());
        for (int v = 0; v < snapshot.versionCount(); v++) {
            Verdict verdict = evaluate(snapshot, bound, request, now, v);
            String fallback = null;
            if (!verdict.allowed() && verdict.fallbackEligible()) {
                for (int older : snapshot.olderVersions(v)) {
                    if (bound.entitled(older, now) && evaluate(snapshot, bound, request, now, older).allowed()) {
                        fallback = snapshot.versionId(older);
                        break;
                    }
                }
            }
            out.add(new ModelAccess(snapshot.versionId(v), snapshot.family(v), verdict.allowed(), verdict.reasons(), fallback));
        }
        return out;
    }

    /**
     * {@link #listModels} with, for every version, each source (tier via subscription, programme,
     * grant, licence) of the person or their organisation that includes it at the request's time.
     * Not on the request path: for ListEntitlements and explanations.
     */
    public static List<ModelEntitlement> listEntitlements(PolicySnapshot snapshot, Caller caller, AccessRequest request) {
        List<ModelAccess> access = listModels(snapshot, caller, request);
        BoundCaller bound = BoundCaller.bind(snapshot, caller);
        long now = VersionSet.nanos(request.now());
        List<ModelEntitlement> out = new ArrayList<>(access.size());
        for (int v = 0; v < access.size(); v++) {
            List<ModelEntitlement.Source> sources = new ArrayList<>(2);
            addSources(sources, bound.person, caller.person(), v, now);
            addSources(sources, bound.organisation, caller.organisation(), v, now);
            out.add(new ModelEntitlement(access.get(v), sources));
        }
        return out;
    }

    private static void addSources(List<ModelEntitlement.Source> out, HolderEntitlements holder, String holderName,
                                   int v, long now) {
        for (EntitlementSource source : holder.all()) {
            if (source.covers(v, now)) {
                out.add(new ModelEntitlement.Source(source.resource(), holderName, source.name()));
            }
        }
    }

    /** Both lists in order, immutable; no copy when one is empty. */
    private static List<Reason> concat(List<Reason> first, List<Reason> second) {
        if (second.isEmpty()) {
            return first;
        }
        if (first.isEmpty()) {
            return second;
        }
        if (first.size() == 1 && second.size() == 1) {
            return List.of(first.get(0), second.get(0));
        }
        List<Reason> all = new ArrayList<>(first.size() + second.size());
        all.addAll(first);
        all.addAll(second);
        return List.copyOf(all);
    }

    /**
     * The full evaluation of one version, without fallback. Reads the binding's precomputed bits
     * and the snapshot's shared arrays; the caller's own record is read only to judge a carve-out
     * the binding could not rule out, or evidence times beyond epoch nanos.
     */
    private static Verdict evaluate(PolicySnapshot s, BoundCaller b, AccessRequest r, long now, int v) {
        String model = s.versionId(v);
        if (s.status(v) == VersionStatus.DISABLED) {
            return Verdict.deny(new Reason(ReasonCode.MODEL_DISABLED, model, null, null,
                    model + " is disabled by an operator"), false);
        }
        if (b.screening == ScreeningStatus.CONFIRMED_MATCH) {
            return Verdict.deny(new Reason(ReasonCode.SANCTIONED_PARTY, model, null, null,
                    "the caller or their organisation is a confirmed match on a denied-party list"), false);
        }
        if (b.screening == ScreeningStatus.POTENTIAL_MATCH && s.controlled(v)) {
            return Verdict.deny(new Reason(ReasonCode.SANCTIONED_PARTY, model, null, null,
                    "the caller or their organisation is a potential denied-party match awaiting review"), false);
        }
        if (s.embargoed(r.regionCode())) {
            return Verdict.deny(new Reason(ReasonCode.EMBARGOED_REGION, model, null, Evaluator.EMBARGO_CITATION,
                    "requests from " + r.regionCode() + " are under comprehensive embargo"), false);
        }
        if (r.policyStale() && s.controlled(v)) {
            return Verdict.deny(new Reason(ReasonCode.POLICY_STALE, model, null, null,
                    "this router's policy is stale; controlled models are refused until it is refreshed"), false);
        }

        CompiledDirective directiveDenial = null; // the first enforced directive that denies
        Reason carveOut = null;
        List<Reason> shadow = null;
        for (CompiledDirective cd : s.directives(v)) {
            if (!inForce(cd, r, now) || !subjectMatches(cd, b, r, now)) {
                continue;
            }
            Directive d = cd.directive;
            if (b.mayBeCarvedOut(cd)) {
                Reason exemption = carveOut(new Context(s, b, r, now), d, v, model, cd.enforced && carveOut == null);
                if (exemption != null) {
                    if (exemption != EXEMPT) {
                        carveOut = exemption;
                    }
                    continue;
                }
            }
            if (!cd.enforced) {
                if (shadow == null) {
                    shadow = new ArrayList<>(1);
                }
                shadow.add(cd.shadowReason(v));
            } else if (directiveDenial == null) {
                directiveDenial = cd;
            }
        }

        List<Reason> shadowList = shadow == null ? List.of() : List.copyOf(shadow);
        if (!b.entitled(v, now)) {
            Verdict refused = directiveDenial == null ? s.notEntitledVerdict(v) : directiveDenial.notEntitledVerdict(v);
            return shadow == null ? refused : new Verdict(false, true, refused.reasons(), shadowList);
        }
        if (directiveDenial != null) {
            Verdict refused = directiveDenial.denyVerdict(v);
            return shadow == null ? refused : new Verdict(false, true, refused.reasons(), shadowList);
        }
        Reason through = new Reason(ReasonCode.ENTITLED, model, null, null, b.entitlementDescription(v, now));
        return new Verdict(true, false, carveOut == null ? List.of(through) : List.of(through, carveOut), shadowList);
    }

    private static boolean inForce(CompiledDirective cd, AccessRequest r, long now) {
        if (cd.exactTimes) {
            return now >= cd.effectiveNanos && now < cd.expiresNanos;
        }
        return cd.directive.inForceAt(r.now());
    }

    private static boolean subjectMatches(CompiledDirective cd, BoundCaller b, AccessRequest r, long now) {
        if (cd.exactTimes && b.exactTimes) {
            return b.subjectMatches(cd, now);
        }
        return subjectMatches(cd, b.caller, r.now());
    }

    /**
     * Whether a directive's subjects include the caller, judged from the caller's record and
     * Instants: for times beyond epoch nanos (see {@link BoundCaller#subjectMatches}, the same rule).
     * Unknown or unverified status, expired or too-old evidence and assurance below the minimum
     * all count as matching (fail closed).
     */
    private static boolean subjectMatches(CompiledDirective cd, Caller c, Instant now) {
        Directive d = cd.directive;
        if (c.status() == UsPersonStatus.UNKNOWN || !c.evidenceCurrent(now)
                || !c.assurance().atLeast(d.minimumAssurance())) {
            return true;
        }
        if (d.maximumEvidenceAge() != null && c.verifiedAt().plus(d.maximumEvidenceAge()).isBefore(now)) {
            return true;
        }
        return switch (d.subjects().kind()) {
            case FOREIGN_PERSONS -> !c.status().isUsPerson();
            case NON_CITIZENS -> c.status() != UsPersonStatus.US_CITIZEN;
            case NATIONALS_OF -> switch (d.subjects().mode()) {
                case MOST_RECENT -> c.controllingCountry() != null && cd.countries.contains(c.controllingCountry());
                case ANY -> c.citizenships().stream().anyMatch(cd.countries::contains);
            };
        };
    }

    /** Marks an exemption whose reason is not needed (shadow directive, or a CARVE_OUT reason already found). */
    private static final Reason EXEMPT = new Reason(ReasonCode.CARVE_OUT, null, null, null, "exempt");

    /**
     * The carve-out that exempts this caller, model and moment, or null. With {@code explain} the
     * CARVE_OUT reason naming it (the only allocation, and only when a carve-out applies); else
     * {@link #EXEMPT}.
     */
    private static Reason carveOut(Context ctx, Directive d, int v, String model, boolean explain) {
        for (Directive.CarveOut co : d.carveOuts()) {
            switch (co.kind()) {
                case LICENSED_PERSONS, LICENCE -> {
                    for (EntitlementSource licence : ctx.person.licences()) {
                        if ((co.kind() == Directive.CarveOut.Kind.LICENSED_PERSONS || licence.resource().equals(co.target()))
                                && licence.covers(v, ctx.nowNanos)) {
                            return explain ? carveOutReason(d, model, licence.resource(), "carved out by " + licence.name()) : EXEMPT;
                        }
                    }
                }
                case PROGRAMME -> {
                    if (ctx.person.programmes().contains(co.target())
                            || ctx.organisation.programmes().contains(co.target())) {
                        return explain ? carveOutReason(d, model, "programmes/" + co.target(),
                                "carved out for members of programme " + co.target()) : EXEMPT;
                    }
                }
                case ORGANISATION -> {
                    if (co.target().equals(ctx.caller.organisation())) {
                        return explain ? carveOutReason(d, model, co.target(), "carved out for " + co.target()) : EXEMPT;
                    }
                }
            }
        }
        return null;
    }

    private static Reason carveOutReason(Directive d, String model, String carveOut, String exemption) {
        return new Reason(ReasonCode.CARVE_OUT, model, d.id(), d.citation(),
                "directive " + d.id() + " does not apply: " + exemption, carveOut);
    }

    /** What a carve-out is judged on (built only when the binding could not rule every carve-out out). */
    private static final class Context {
        final PolicySnapshot snapshot;
        final BoundCaller bound;
        final Caller caller;
        final AccessRequest request;
        final long nowNanos;
        final HolderEntitlements person;
        final HolderEntitlements organisation;

        Context(PolicySnapshot snapshot, BoundCaller bound, AccessRequest request, long nowNanos) {
            this.snapshot = snapshot;
            this.bound = bound;
            this.caller = bound.caller;
            this.request = request;
            this.nowNanos = nowNanos;
            this.person = bound.person;
            this.organisation = bound.organisation;
        }
    }

}
