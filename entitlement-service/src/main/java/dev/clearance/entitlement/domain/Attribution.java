package dev.clearance.entitlement.domain;

/** Who asks for an admin write and why; recorded with the write in the change log. */
public record Attribution(String actor, String reason) {
    public Attribution {
        reason = reason == null ? "" : reason;
    }
}
