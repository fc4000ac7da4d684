package dev.clearance.entitlement.domain;

/** Identity assurance level (NIST SP 800-63A) a directive requires. */
public enum AssuranceLevel {
    IAL1, IAL2, IAL3
}
