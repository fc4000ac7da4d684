package dev.clearance.sdk;

/**
 * Supplies a bearer access token for each call. Implementations cache (see {@link KeycloakClientCredentials});
 * the SDK asks before every attempt. Failures should be thrown as {@link ClearanceException}.
 */
@FunctionalInterface
public interface TokenProvider {

    String accessToken();
}
