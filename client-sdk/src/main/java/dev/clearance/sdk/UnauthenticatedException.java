package dev.clearance.sdk;

import io.grpc.Status;

import java.util.Map;

/** UNAUTHENTICATED: the credential is missing, invalid, expired or revoked (see {@link #reason()}). */
public class UnauthenticatedException extends ClearanceException {

    UnauthenticatedException(Details d) {
        super(d);
    }

    /** A credential could not be obtained on the client side (for example the token endpoint refused). */
    public UnauthenticatedException(String reason, String message, Throwable cause) {
        super(Status.Code.UNAUTHENTICATED, reason, "sdk.clearance.dev", Map.of(), message, cause);
    }
}
