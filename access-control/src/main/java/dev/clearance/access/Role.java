package dev.clearance.access;

/** The Keycloak realm roles Clearance's admin RPCs require (see each service's role table). */
public enum Role {
    /** Catalogue, tiers, programmes, grants, subscriptions, persons, organisations, API keys. */
    ADMIN("clearance-admin"),
    /** Directives, licences, evidence attestation, screening review. */
    COMPLIANCE("clearance-compliance"),
    /** Read-only, including change logs. */
    AUDITOR("clearance-auditor");

    private final String realmRole;

    Role(String realmRole) {
        this.realmRole = realmRole;
    }

    /** The role's name in the realm and in {@code realm_access.roles}. */
    public String realmRole() {
        return realmRole;
    }
}
