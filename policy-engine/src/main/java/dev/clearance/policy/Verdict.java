package dev.clearance.policy;

import java.util.List;

/**
 * The evaluation of one version, before fallback. Denials that do not depend on the request
 * (not entitled, a directive, both) are built once per snapshot and shared: a decision that
 * ends in one allocates nothing but its {@link Decision}.
 */
record Verdict(boolean allowed, boolean fallbackEligible, List<Reason> reasons, List<Reason> shadow) {

    static Verdict deny(Reason reason, boolean fallbackEligible) {
        return new Verdict(false, fallbackEligible, List.of(reason), List.of());
    }

    /** A NOT_ENTITLED or DIRECTIVE denial (fallback may route around it) with no shadow reasons. */
    static Verdict refused(List<Reason> reasons) {
        return new Verdict(false, true, reasons, List.of());
    }
}
