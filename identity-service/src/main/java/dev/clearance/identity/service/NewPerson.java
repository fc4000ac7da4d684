package dev.clearance.identity.service;

/**
 * A validated CreatePerson request.
 *
 * @param organisationId null when the person belongs to no organisation
 * @param subject        Keycloak user id; null when not linked yet
 */
public record NewPerson(String id, String displayName, String organisationId, String subject) {
}
