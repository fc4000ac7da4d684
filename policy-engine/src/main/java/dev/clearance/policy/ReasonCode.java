package dev.clearance.policy;

public enum ReasonCode {
    /** Allowed through a tier, programme, grant or licence. */
    ENTITLED,
    MODEL_DISABLED,
    SANCTIONED_PARTY,
    EMBARGOED_REGION,
    DIRECTIVE,
    NOT_ENTITLED,
    /** The router has not heard from the control plane within its bound. */
    POLICY_STALE,
    /** A shadow directive would have denied; never changes the outcome. */
    SHADOW_DIRECTIVE,
    /** A directive covered the model and the caller, but a carve-out exempted them. */
    CARVE_OUT;

    /** Denials that a fallback to an older version may route around (DESIGN.md steps 4 and 5). */
    public boolean allowsFallback() {
        return this == DIRECTIVE || this == NOT_ENTITLED;
    }
}
