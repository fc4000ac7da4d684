package dev.clearance.identity.keycloak;

/** The Keycloak admin API could not be reached or refused the service account; the message says which. */
public class KeycloakUnavailableException extends RuntimeException {

    public KeycloakUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
