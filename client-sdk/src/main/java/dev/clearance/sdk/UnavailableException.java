package dev.clearance.sdk;

/**
 * UNAVAILABLE after the SDK's retries: the router, its policy or identity-service, or the backend could not
 * answer (see {@link #reason()}: {@code POLICY_UNAVAILABLE}, {@code IDENTITY_UNAVAILABLE}, ...).
 */
public class UnavailableException extends ClearanceException {

    UnavailableException(Details d) {
        super(d);
    }
}
