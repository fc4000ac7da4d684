package dev.clearance.identity.keycloak;

/**
 * What a valid access token tells us: only who the subject is. Every other claim (names,
 * roles, anything asserting nationality or status) is deliberately not carried: identity comes
 * from stored evidence, never from the token.
 */
public record VerifiedToken(String subject) {
}
