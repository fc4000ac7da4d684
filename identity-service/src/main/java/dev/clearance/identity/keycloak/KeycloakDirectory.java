package dev.clearance.identity.keycloak;

import java.util.List;
import java.util.Map;

/**
 * What one sync read from Keycloak: users (service accounts excluded), Organizations, and each
 * user's Organization ids.
 */
public record KeycloakDirectory(List<User> users, List<Organization> organizations,
                                Map<String, List<String>> organizationsByUser) {

    public record User(String id, String username, String displayName) {
    }

    /** {@code country}: the Organization's {@code country} attribute, null when absent. */
    public record Organization(String id, String alias, String name, String country) {
    }

    public List<String> organizationsOf(String userId) {
        return organizationsByUser.getOrDefault(userId, List.of());
    }
}
