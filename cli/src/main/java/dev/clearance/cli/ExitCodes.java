package dev.clearance.cli;

import io.grpc.Status;

/**
 * The exit codes of {@code clearancectl}. Stable: scripts rely on them (documented in cli/README.md).
 */
public final class ExitCodes {

    /** The command did what it was asked. */
    public static final int OK = 0;
    /** The server refused the call (INVALID_ARGUMENT, PERMISSION_DENIED, NOT_FOUND, FAILED_PRECONDITION, ...). */
    public static final int REFUSED = 1;
    /** Usage error or bad input found before any call (unknown option, malformed file). */
    public static final int USAGE = 2;
    /** A service or Keycloak could not be reached (UNAVAILABLE, DEADLINE_EXCEEDED, connection refused). */
    public static final int UNREACHABLE = 3;
    /** Not logged in, the session expired, or the server said UNAUTHENTICATED. */
    public static final int NOT_LOGGED_IN = 4;
    /** {@code directive enforce|approve --wait}: the change is stored, but not every live router applied it in time. */
    public static final int PROPAGATION_INCOMPLETE = 5;

    private ExitCodes() {
    }

    public static int forStatus(Status.Code code) {
        return switch (code) {
            case UNAVAILABLE, DEADLINE_EXCEEDED -> UNREACHABLE;
            case UNAUTHENTICATED -> NOT_LOGGED_IN;
            default -> REFUSED;
        };
    }
}
