package dev.clearance.policy;

/** Identity assurance level (NIST SP 800-63A), ordered weakest first. */
public enum AssuranceLevel {
    NONE,
    /** Self-asserted. */
    IAL1,
    /** Remote or in-person identity proofing. */
    IAL2,
    /** In-person proofing with biometrics. */
    IAL3;

    public boolean atLeast(AssuranceLevel minimum) {
        return compareTo(minimum) >= 0;
    }
}
