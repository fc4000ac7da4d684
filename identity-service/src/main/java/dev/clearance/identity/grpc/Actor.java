package dev.clearance.identity.grpc;

import dev.clearance.api.ApiError;
import dev.clearance.identity.ErrorDomain;

/** Who makes an officer change, from the {@code x-clearance-actor} request metadata. */
final class Actor {

    static final String HEADER = "x-clearance-actor";
    /** Recorded when an optional actor is missing. */
    static final String UNATTRIBUTED = "unattributed";
    private static final int MAX_LENGTH = 200;

    private Actor() {
    }

    /**
     * The actor of this call; {@link #UNATTRIBUTED} when absent and not {@code required}.
     * Problems are added to {@code errors}, so they are reported with the request's own. Must be
     * called on the call's thread, before any asynchronous step.
     */
    static String of(boolean required, ApiError errors) {
        String actor = ActorInterceptor.ACTOR.get();
        if (actor == null || actor.isBlank()) {
            if (required) {
                errors.violation(HEADER, "request metadata " + HEADER + " is required: who makes this change");
            }
            return UNATTRIBUTED;
        }
        actor = actor.strip();
        if (actor.length() > MAX_LENGTH || !actor.chars().allMatch(c -> c >= 0x20 && c < 0x7f)
                || actor.startsWith("vendor:") || actor.equals("system")) {
            errors.violation(HEADER, "must be at most " + MAX_LENGTH + " printable ASCII characters and not a"
                    + " reserved actor (system, vendor:...)");
        }
        return actor;
    }

    /** {@link #of} on its own, throwing INVALID_ARGUMENT. */
    static String of(boolean required) {
        ApiError errors = ApiError.invalidArgument(ErrorDomain.IDENTITY);
        String actor = of(required, errors);
        errors.throwIfViolations();
        return actor;
    }
}
