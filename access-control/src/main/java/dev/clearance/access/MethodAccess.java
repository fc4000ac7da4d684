package dev.clearance.access;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may call one RPC: holders of any of {@link #roles()} with a verified bearer token, or, for
 * the internal RPCs routers call, whoever the network lets through ({@link #network()}).
 */
public record MethodAccess(Set<Role> roles, boolean networkOnly) {

    public MethodAccess {
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
        if (networkOnly == !roles.isEmpty()) {
            throw new IllegalArgumentException("either roles or network-only");
        }
    }

    /** A verified bearer token holding at least one of {@code anyOf}. */
    public static MethodAccess anyOf(Role first, Role... more) {
        return new MethodAccess(EnumSet.of(first, more), false);
    }

    /**
     * Service-to-service RPCs (router, entitlement-service): no user token; only the network
     * policy (and mTLS where deployed) keeps others out. See the services' READMEs.
     */
    public static MethodAccess network() {
        return new MethodAccess(Set.of(), true);
    }

    public boolean allows(Set<String> realmRoles) {
        for (Role role : roles) {
            if (realmRoles.contains(role.realmRole())) {
                return true;
            }
        }
        return false;
    }

    /** The realm roles, comma-separated in declaration order, for messages and ErrorInfo. */
    public String describeRoles() {
        return roles.stream().sorted().map(Role::realmRole).collect(Collectors.joining(","));
    }
}
