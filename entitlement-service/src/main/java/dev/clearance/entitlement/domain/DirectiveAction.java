package dev.clearance.entitlement.domain;

/** What one recorded lifecycle step of a directive did. */
public enum DirectiveAction {
    CREATE,
    SHADOW,
    /** One officer asked to enforce; the state is unchanged until a second approves. */
    REQUEST_ENFORCEMENT,
    /** A second officer approved: ENFORCED. */
    APPROVE_ENFORCEMENT,
    /** One officer enforced at once; a second must confirm within the window. */
    EMERGENCY_ENFORCE,
    CONFIRM_EMERGENCY,
    SUSPEND,
    REVOKE
}
