package dev.clearance.identity.domain;

/** How a piece of evidence was obtained. */
public enum VerificationMethod {
    /** A KYC vendor's result, received by webhook. */
    VENDOR,
    /** Attested by a compliance officer through the API. */
    OFFICER
}
