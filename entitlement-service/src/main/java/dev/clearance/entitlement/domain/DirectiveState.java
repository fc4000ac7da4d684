package dev.clearance.entitlement.domain;

import java.util.EnumSet;
import java.util.Set;

/** Lifecycle of a directive and which transitions it allows. */
public enum DirectiveState {
    DRAFT,
    /** Evaluated and reported as "would deny"; never changes an answer. */
    SHADOW,
    ENFORCED,
    SUSPENDED,
    /** Final. */
    REVOKED;

    /** The states a directive may move to this state from. */
    public Set<DirectiveState> allowedFrom() {
        return switch (this) {
            case SHADOW -> EnumSet.of(DRAFT, SUSPENDED);
            case ENFORCED -> EnumSet.of(DRAFT, SHADOW, SUSPENDED);
            case SUSPENDED -> EnumSet.of(ENFORCED);
            case REVOKED -> EnumSet.of(DRAFT, SHADOW, ENFORCED, SUSPENDED);
            // Nothing returns to DRAFT.
            case DRAFT -> EnumSet.noneOf(DirectiveState.class);
        };
    }

    public boolean canMoveFrom(DirectiveState current) {
        return allowedFrom().contains(current);
    }

    /** Only these reach a policy snapshot; the others never affect a decision. */
    public boolean inSnapshot() {
        return this == SHADOW || this == ENFORCED;
    }
}
