package dev.clearance.identity.grpc;

import dev.clearance.access.Operator;

/**
 * Who makes an officer change: the verified operator of the call ({@code username (subject)} from
 * the bearer token, see {@link Operator#actor()}). Nothing the caller sends can name another actor.
 */
final class Actor {

    /**
     * Actors the service itself records (expiry, list reloads, {@code system:keycloak-sync}, vendor
     * webhooks); no operator may appear as one.
     */
    private static final String SYSTEM = "system";
    private static final String SYSTEM_PREFIX = "system:";
    private static final String VENDOR_PREFIX = "vendor:";

    private Actor() {
    }

    /**
     * The actor of this call. Must be called on the call's thread, before any asynchronous step;
     * every RPC that records an actor requires a role, so an operator is always there.
     */
    static String current() {
        String actor = Operator.current().map(Operator::actor)
                .orElseThrow(() -> new IllegalStateException("an officer write without a verified operator"));
        return actor.equals(SYSTEM) || actor.startsWith(SYSTEM_PREFIX) || actor.startsWith(VENDOR_PREFIX)
                ? "user:" + actor : actor;
    }
}
