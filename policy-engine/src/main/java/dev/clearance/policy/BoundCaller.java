package dev.clearance.policy;

import dev.clearance.policy.PolicySnapshot.EntitlementSource;
import dev.clearance.policy.PolicySnapshot.HolderEntitlements;

/**
 * A caller bound to one snapshot: what every decision for this caller would otherwise look up
 * again (the person's and the organisation's entitlements, found by name in a map of 100,000
 * holders; the union of their sources without a validity window). A decision is bound by memory
 * loads, not arithmetic, so a router keeps one of these per cached identity and binds again only
 * when its snapshot changes ({@link #isBoundTo}); the decision then starts from data at hand.
 * Immutable; safe to share between threads.
 */
public final class BoundCaller {

    final PolicySnapshot snapshot;
    final Caller caller;
    final HolderEntitlements person;
    final HolderEntitlements organisation;
    /** Versions entitled by sources without a window (shared with a holder when only one side has any). */
    final long[] unbounded;
    /** Whether either holder has a source with a validity window, to test at decision time. */
    final boolean windowed;

    private BoundCaller(PolicySnapshot snapshot, Caller caller) {
        this.snapshot = snapshot;
        this.caller = caller;
        this.person = snapshot.holder(caller.person());
        this.organisation = snapshot.holder(caller.organisation());
        if (person.all().length == 0) {
            this.unbounded = organisation.unbounded();
        } else if (organisation.all().length == 0) {
            this.unbounded = person.unbounded();
        } else {
            long[] union = person.unbounded().clone();
            VersionSet.addAll(union, organisation.unbounded());
            this.unbounded = union;
        }
        this.windowed = person.windowed().length > 0 || organisation.windowed().length > 0;
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

    /** The versions entitled at {@code nowNanos}; the shared unbounded set when no window applies (never mutate). */
    long[] entitledAt(long nowNanos) {
        if (!windowed) {
            return unbounded;
        }
        long[] set = null;
        for (EntitlementSource source : person.windowed()) {
            set = addIfValid(set, source, nowNanos);
        }
        for (EntitlementSource source : organisation.windowed()) {
            set = addIfValid(set, source, nowNanos);
        }
        return set == null ? unbounded : set;
    }

    private long[] addIfValid(long[] set, EntitlementSource source, long nowNanos) {
        if (!source.validAt(nowNanos)) {
            return set;
        }
        long[] out = set == null ? unbounded.clone() : set;
        VersionSet.addAll(out, source.models());
        return out;
    }
}
