package dev.clearance.sdk;

/** Why a model was refused, or through what it was allowed. */
public enum ReasonCode {
    ENTITLED,
    MODEL_DISABLED,
    SANCTIONED_PARTY,
    EMBARGOED_REGION,
    DIRECTIVE,
    NOT_ENTITLED,
    POLICY_STALE,
    SHADOW_DIRECTIVE,
    CARVE_OUT,
    /** A value this SDK version does not know (a newer router), or none. */
    UNKNOWN;

    /** From the wire name, with or without the {@code REASON_CODE_} prefix; unknown names give {@link #UNKNOWN}. */
    public static ReasonCode parse(String name) {
        if (name == null || name.isBlank()) {
            return UNKNOWN;
        }
        String bare = name.startsWith("REASON_CODE_") ? name.substring("REASON_CODE_".length()) : name;
        for (ReasonCode c : values()) {
            if (c.name().equals(bare)) {
                return c;
            }
        }
        return UNKNOWN;
    }
}
