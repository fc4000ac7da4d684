package dev.clearance.identity.domain;

/** KYC vendors whose results are ingested by webhook; {@link #id()} is the path and config key. */
public enum KycVendor {
    PERSONA("persona"),
    STRIPE_IDENTITY("stripe-identity"),
    ONFIDO("onfido");

    private final String id;

    KycVendor(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** How the vendor appears as an actor in evidence history. */
    public String actor() {
        return "vendor:" + id;
    }
}
