package dev.clearance.access;

import java.util.Set;

/**
 * What a valid access token tells us: who the subject is, their login name for display, and their
 * realm roles. Roles only ever authorise admin RPCs; nothing about who a caller is for a decision
 * (nationality, status) is taken from a token: that comes from stored evidence.
 *
 * @param preferredUsername {@code preferred_username}, null when the token has none
 * @param roles             {@code realm_access.roles}
 */
public record VerifiedToken(String subject, String preferredUsername, Set<String> roles) {

    public VerifiedToken {
        roles = Set.copyOf(roles);
    }
}
