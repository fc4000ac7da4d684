package dev.clearance.cli;

/**
 * Where the services and the login provider are. The defaults are {@code bin/up}'s.
 *
 * @param tls use TLS for the gRPC targets (plaintext otherwise, as {@code bin/up} serves)
 */
public record Targets(String identity, String entitlement, String router, String issuer, boolean tls) {

    public static final String DEFAULT_IDENTITY = "localhost:9101";
    public static final String DEFAULT_ENTITLEMENT = "localhost:9102";
    public static final String DEFAULT_ROUTER = "localhost:9100";
    public static final String DEFAULT_ISSUER = "http://localhost:8180/realms/clearance";

    public static Targets defaults() {
        return new Targets(DEFAULT_IDENTITY, DEFAULT_ENTITLEMENT, DEFAULT_ROUTER, DEFAULT_ISSUER, false);
    }

    /** The realm URL without a trailing slash. */
    public String issuerBase() {
        return issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    }
}
