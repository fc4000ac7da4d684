package dev.clearance.cli;

/** A token endpoint's answer. {@code refreshToken} may be null; lifetimes in seconds (0 = not given). */
public record Tokens(String accessToken, long expiresIn, String refreshToken, long refreshExpiresIn) {
}
