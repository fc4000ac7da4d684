package dev.clearance.policy;

import dev.clearance.policy.PolicySnapshot.CompiledDirective;
import dev.clearance.policy.PolicySnapshot.HolderEntitlements;
import dev.clearance.policy.PolicySnapshot.SubjectRule;

/**
 * A caller bound to one snapshot: everything about the caller that a decision would otherwise
 * look up or work out again. A decision is bound by memory loads, not arithmetic: with thousands
 * of callers rotating, each load of the caller's record, its Instants, its holders' entitlement
 * objects and their version sets misses the CPU caches. So a binding reads all of that once and
 * keeps the answers in a few primitives and one small array:
 * <ul>
 *   <li>the versions entitled without a validity window (the union over person and organisation);
 *   <li>which of the snapshot's directive subject rules the caller matches while their evidence is
 *       current (time-dependent parts, evidence expiry and maximum evidence age, stay per decision
 *       and are compared as epoch nanos);
 *   <li>which programme and organisation carve-out targets the caller belongs to;
 *   <li>the holders' sources laid out flat ({@link HolderEntitlements#flat()}, shared by every
 *       caller of the holder) for windowed entitlements and the ENTITLED reason.
 * </ul>
 * A router keeps one per cached identity and binds again only when its snapshot changes
 * ({@link #isBoundTo}). Immutable; safe to share between threads.
 */
public final class BoundCaller {

    final PolicySnapshot snapshot;
    final Caller caller;
    final HolderEntitlements person;
    final HolderEntitlements organisation;
    /**
     * [entitled versions without a window | versions some windowed source includes | subject rules
     * matched | carve-out targets belonged to].
     */
    final long[] bits;
    final int windowedAt;
    final int rulesAt;
    final int targetsAt;
    /** Longs per source in the holders' flat layouts. */
    final int sourceStride;
    final long[] personSources;
    final String[] personDescriptions;
    final long[] organisationSources;
    final String[] organisationDescriptions;
    final boolean hasLicences;
    final ScreeningStatus screening;
    final long identityRevision;
    /** Whether the evidence times fit epoch nanos; otherwise decisions judge subjects from the Instants. */
    final boolean exactTimes;
    final long verifiedNanos;
    /** Evidence expiry as epoch nanos; meaningful only when {@link #evidenceExpires}. */
    final long evidenceExpiresNanos;
    final boolean evidenceExpires;

    private BoundCaller(PolicySnapshot snapshot, Caller caller) {
        this.snapshot = snapshot;
        this.caller = caller;
        this.person = snapshot.holder(caller.person());
        this.organisation = snapshot.holder(caller.organisation());
        int words = snapshot.versionWords();
        SubjectRule[] rules = snapshot.subjectRules();
        this.windowedAt = words;
        this.rulesAt = 2 * words;
        this.sourceStride = HolderEntitlements.SOURCE_MODELS + words;
        this.targetsAt = rulesAt + ((rules.length + 63) >>> 6);
        this.bits = new long[targetsAt + ((snapshot.carveOutTargetCount() + 63) >>> 6)];
        if (person.unbounded().length > 0) {
            VersionSet.addAll(bits, person.unbounded());
        }
        if (organisation.unbounded().length > 0) {
            VersionSet.addAll(bits, organisation.unbounded());
        }
        addWindowed(person);
        addWindowed(organisation);
        for (int r = 0; r < rules.length; r++) {
            if (rules[r].matchesWhileEvidenceCurrent(caller)) {
                set(rulesAt, r);
            }
        }
        for (String programme : person.programmes()) {
            belongsTo(snapshot.programmeTarget(programme));
        }
        for (String programme : organisation.programmes()) {
            belongsTo(snapshot.programmeTarget(programme));
        }
        belongsTo(snapshot.organisationTarget(caller.organisation()));
        this.personSources = person.flat();
        this.personDescriptions = person.descriptions();
        this.organisationSources = organisation.flat();
        this.organisationDescriptions = organisation.descriptions();
        this.hasLicences = person.licences().length > 0;
        this.screening = caller.screening();
        this.identityRevision = caller.identityRevision();
        this.exactTimes = VersionSet.fitsNanos(caller.verifiedAt()) && VersionSet.fitsNanos(caller.expiresAt());
        this.verifiedNanos = exactTimes && caller.verifiedAt() != null ? VersionSet.nanos(caller.verifiedAt()) : 0;
        this.evidenceExpires = caller.expiresAt() != null;
        this.evidenceExpiresNanos = exactTimes && evidenceExpires ? VersionSet.nanos(caller.expiresAt()) : 0;
    }

    /** Binds {@code caller} to {@code snapshot}. */
    public static BoundCaller bind(PolicySnapshot snapshot, Caller caller) {
        return new BoundCaller(snapshot, caller);
    }

    public Caller caller() {
        return caller;
    }

    /** Whether this binding was made against {@code snapshot} (the same compiled object). */
    public boolean isBoundTo(PolicySnapshot snapshot) {
        return this.snapshot == snapshot;
    }

    /** Whether the caller is entitled to version {@code v} at {@code now} (epoch nanos). */
    boolean entitled(int v, long now) {
        if (VersionSet.contains(bits, v)) {
            return true;
        }
        if (((bits[windowedAt + (v >>> 6)] >>> v) & 1L) == 0) {
            return false; // no windowed source includes v at any time: nothing to scan
        }
        return firstCovering(personSources, v, now) >= 0 || firstCovering(organisationSources, v, now) >= 0;
    }

    /** The ENTITLED text of the first source (person's, then organisation's) that includes {@code v} at {@code now}, or null. */
    String entitlementDescription(int v, long now) {
        int k = firstCovering(personSources, v, now);
        if (k >= 0) {
            return personDescriptions[k];
        }
        k = firstCovering(organisationSources, v, now);
        return k >= 0 ? organisationDescriptions[k] : null;
    }

    private int firstCovering(long[] flat, int v, long now) {
        int stride = sourceStride;
        int word = HolderEntitlements.SOURCE_MODELS + (v >>> 6);
        long bit = 1L << v;
        for (int at = 0, k = 0; at < flat.length; at += stride, k++) {
            if ((flat[at + word] & bit) != 0 && now >= flat[at + HolderEntitlements.SOURCE_START]
                    && now < flat[at + HolderEntitlements.SOURCE_END]) {
                return k;
            }
        }
        return -1;
    }

    /**
     * Whether the directive's subjects include the caller at {@code now}. Unknown or unverified
     * status, expired or too-old evidence and assurance below the minimum all count as matching
     * (fail closed): the binding holds the part that does not depend on the moment, the moment's
     * part (expiry, maximum age) is compared here, so a binding that outlives its evidence fails
     * closed at the instant the evidence lapses.
     */
    boolean subjectMatches(CompiledDirective cd, long now) {
        if (((bits[rulesAt + (cd.subjectRule >>> 6)] >>> cd.subjectRule) & 1L) != 0) {
            return true;
        }
        if (evidenceExpires && now >= evidenceExpiresNanos) {
            return true;
        }
        return cd.maxAgeNanos != CompiledDirective.NO_MAXIMUM_AGE
                && VersionSet.saturatedAdd(verifiedNanos, cd.maxAgeNanos) < now;
    }

    /** Whether any carve-out of the directive could exempt this caller (false: none can; true: evaluate them). */
    boolean mayBeCarvedOut(CompiledDirective cd) {
        if (cd.otherCarveOut || (cd.licenceCarveOut && hasLicences)) {
            return true;
        }
        for (int t : cd.carveOutTargets) {
            if (((bits[targetsAt + (t >>> 6)] >>> t) & 1L) != 0) {
                return true;
            }
        }
        return false;
    }

    private void addWindowed(HolderEntitlements holder) {
        for (PolicySnapshot.EntitlementSource source : holder.windowed()) {
            long[] models = source.models();
            for (int i = 0; i < models.length; i++) {
                bits[windowedAt + i] |= models[i];
            }
        }
    }

    private void set(int at, int i) {
        bits[at + (i >>> 6)] |= 1L << i;
    }

    private void belongsTo(int target) {
        if (target >= 0) {
            set(targetsAt, target);
        }
    }
}
