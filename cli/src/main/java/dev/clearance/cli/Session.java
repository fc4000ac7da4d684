package dev.clearance.cli;

/**
 * What {@code clearancectl login} stores: the targets and the tokens.
 *
 * @param grant            {@code client_credentials} or {@code device}
 * @param expiresAt        epoch seconds when the access token expires
 * @param refreshToken     null when the grant gave none (Keycloak gives none for client credentials)
 * @param refreshExpiresAt epoch seconds when the refresh token expires; 0 when unknown or none
 */
public record Session(Targets targets, String clientId, String grant, String accessToken, long expiresAt,
                      String refreshToken, long refreshExpiresAt) {

    public Session withTokens(Tokens tokens, long nowEpochSeconds) {
        return new Session(targets, clientId, grant, tokens.accessToken(), nowEpochSeconds + tokens.expiresIn(),
                tokens.refreshToken() != null ? tokens.refreshToken() : refreshToken,
                tokens.refreshToken() != null && tokens.refreshExpiresIn() > 0
                        ? nowEpochSeconds + tokens.refreshExpiresIn() : refreshExpiresAt);
    }
}
