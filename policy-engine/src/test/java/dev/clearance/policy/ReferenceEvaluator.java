package dev.clearance.policy;

import dev.clearance.policy.PolicySnapshot.CompiledDirective;
import dev.clearance.policy.PolicySnapshot.EntitlementSource;
import dev.clearance.policy.PolicySnapshot.HolderEntitlements;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The evaluator as it was before decisions were precomputed per binding (session 3): the
 * straightforward walk over the caller's record, Instants and entitlement sources on every
 * decision. Kept as the reference that {@link EquivalenceTest} holds the optimised
 * {@link Evaluator} to: the same decision, field for field, for every caller, request and moment.
 */
final class ReferenceEvaluator {

    private ReferenceEvaluator() {
    }

    /** Decides one request, walking everything afresh. */
    static Decision decide(PolicySnapshot snapshot, Caller caller, AccessRequest request) {
        String name = ModelName.normalise(request.model());
        int requested = snapshot.resolve(name);
        if (requested < 0) {
            throw new ModelNotFoundException(name);
        }
        Context ctx = new Context(snapshot, caller, request);
        Verdict verdict = evaluate(ctx, requested);
        String requestedId = snapshot.versionId(requested);
        String family = snapshot.family(requested);
        if (verdict.allowed) {
            return new Decision(Outcome.ALLOW, request.model(), requestedId, family, requestedId,
                    verdict.reasons, verdict.shadow(), snapshot.revision(), caller.identityRevision());
        }
        if (request.allowFallback() && verdict.fallbackEligible) {
            for (int older : snapshot.olderVersions(requested)) {
                if (!VersionSet.contains(ctx.entitled, older)) {
                    continue; // cannot be allowed: no need to evaluate the rest
                }
                Verdict candidate = evaluate(ctx, older);
                if (candidate.allowed) {
                    List<Reason> reasons = new ArrayList<>(verdict.reasons.size() + candidate.reasons.size());
                    reasons.addAll(verdict.reasons);
                    reasons.addAll(candidate.reasons);
                    List<Reason> shadow = new ArrayList<>(verdict.shadow());
                    shadow.addAll(candidate.shadow());
                    return new Decision(Outcome.ALLOW_FALLBACK, request.model(), requestedId, family,
                            snapshot.versionId(older), List.copyOf(reasons), List.copyOf(shadow),
                            snapshot.revision(), caller.identityRevision());
                }
            }
        }
        return new Decision(Outcome.DENY, request.model(), requestedId, family, null,
                verdict.reasons, verdict.shadow(), snapshot.revision(), caller.identityRevision());
    }

    /**
     * What the caller may use now: every version in catalogue order, with its reasons and, when
     * refused, the version a fallback request would be served. The request's model is ignored.
     */
    static List<ModelAccess> listModels(PolicySnapshot snapshot, Caller caller, AccessRequest request) {
        List<ModelAccess> out = new ArrayList<>(snapshot.versionCount());
        Context ctx = new Context(snapshot, caller, request);
        for (int v = 0; v < snapshot.versionCount(); v++) {
            Verdict verdict = evaluate(ctx, v);
            String fallback = null;
            if (!verdict.allowed && verdict.fallbackEligible) {
                for (int older : snapshot.olderVersions(v)) {
                    if (VersionSet.contains(ctx.entitled, older) && evaluate(ctx, older).allowed) {
                        fallback = snapshot.versionId(older);
                        break;
                    }
                }
            }
            out.add(new ModelAccess(snapshot.versionId(v), snapshot.family(v), verdict.allowed, verdict.reasons, fallback));
        }
        return out;
    }

    /** The full evaluation of one version, without fallback. */
    private static Verdict evaluate(Context ctx, int v) {
        PolicySnapshot s = ctx.snapshot;
        Caller c = ctx.caller;
        AccessRequest r = ctx.request;
        Instant now = r.now();
        String model = s.versionId(v);
        if (s.status(v) == VersionStatus.DISABLED) {
            return Verdict.deny(new Reason(ReasonCode.MODEL_DISABLED, model, null, null,
                    model + " is disabled by an operator"), false);
        }
        if (c.screening() == ScreeningStatus.CONFIRMED_MATCH) {
            return Verdict.deny(new Reason(ReasonCode.SANCTIONED_PARTY, model, null, null,
                    "the caller or their organisation is a confirmed match on a denied-party list"), false);
        }
        if (c.screening() == ScreeningStatus.POTENTIAL_MATCH && s.controlled(v)) {
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

        Reason directiveDenial = null;
        Reason carveOut = null;
        List<Reason> shadow = null;
        for (CompiledDirective cd : s.directives(v)) {
            Directive d = cd.directive;
            if (!d.inForceAt(now) || !subjectMatches(cd, c, now)) {
                continue;
            }
            Reason exemption = carveOut(ctx, d, v, model, d.mode() == Directive.Mode.ENFORCED && carveOut == null);
            if (exemption != null) {
                if (exemption != EXEMPT) {
                    carveOut = exemption;
                }
                continue;
            }
            if (d.mode() == Directive.Mode.SHADOW) {
                if (shadow == null) {
                    shadow = new ArrayList<>(1);
                }
                shadow.add(cd.shadowReason(v));
            } else if (directiveDenial == null) {
                directiveDenial = cd.denyReason(v);
            }
        }

        List<Reason> shadowList = shadow == null ? List.of() : List.copyOf(shadow);
        if (!VersionSet.contains(ctx.entitled, v)) {
            Reason notEntitled = s.notEntitled(v);
            List<Reason> reasons = directiveDenial == null ? List.of(notEntitled) : List.of(notEntitled, directiveDenial);
            return new Verdict(false, true, reasons, shadowList);
        }
        if (directiveDenial != null) {
            return new Verdict(false, true, List.of(directiveDenial), shadowList);
        }
        Reason through = new Reason(ReasonCode.ENTITLED, model, null, null, entitlement(ctx, v).description());
        return new Verdict(true, false, carveOut == null ? List.of(through) : List.of(through, carveOut), shadowList);
    }

    /**
     * Whether a directive's subjects include the caller. Unknown or unverified status, expired
     * or too-old evidence and assurance below the minimum all count as matching (fail closed).
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

    /** The first source that includes the version now (the one named in the ENTITLED reason). */
    private static EntitlementSource entitlement(Context ctx, int v) {
        for (EntitlementSource source : ctx.person.all()) {
            if (source.covers(v, ctx.nowNanos)) {
                return source;
            }
        }
        for (EntitlementSource source : ctx.organisation.all()) {
            if (source.covers(v, ctx.nowNanos)) {
                return source;
            }
        }
        return null;
    }

    /** One decision's view: the caller's holders, looked up by name, and every version they are entitled to now. */
    private static final class Context {
        final PolicySnapshot snapshot;
        final Caller caller;
        final AccessRequest request;
        final long nowNanos;
        final HolderEntitlements person;
        final HolderEntitlements organisation;
        final long[] entitled;

        Context(PolicySnapshot snapshot, Caller caller, AccessRequest request) {
            this.snapshot = snapshot;
            this.caller = caller;
            this.request = request;
            this.nowNanos = VersionSet.nanos(request.now());
            this.person = snapshot.holder(caller.person());
            this.organisation = snapshot.holder(caller.organisation());
            long[] set = VersionSet.empty(snapshot.versionCount());
            for (HolderEntitlements holder : new HolderEntitlements[] {person, organisation}) {
                for (EntitlementSource source : holder.all()) {
                    if (source.validAt(nowNanos)) {
                        VersionSet.addAll(set, source.models());
                    }
                }
            }
            this.entitled = set;
        }
    }

    private record Verdict(boolean allowed, boolean fallbackEligible, List<Reason> reasons, List<Reason> shadow) {
        static Verdict deny(Reason reason, boolean fallbackEligible) {
            return new Verdict(false, fallbackEligible, List.of(reason), List.of());
        }
    }
}
