package dev.clearance.identity;

/** The {@code ErrorInfo.domain} of every error this service returns. */
public final class ErrorDomain {
    public static final String IDENTITY = "identity.clearance.dev";

    private ErrorDomain() {
    }
}
