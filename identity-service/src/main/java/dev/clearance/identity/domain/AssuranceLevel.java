package dev.clearance.identity.domain;

/** NIST SP 800-63A identity assurance level of a piece of evidence. */
public enum AssuranceLevel {
    /** Self-asserted. */
    IAL1,
    /** Remote or in-person identity proofing. */
    IAL2,
    /** In-person proofing with biometrics. */
    IAL3
}
