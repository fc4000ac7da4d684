package dev.clearance.entitlement.domain;

/** Lifecycle status of a model version; DISABLED is the per-model kill switch. */
public enum VersionStatus {
    PREVIEW, GA, DEPRECATED, DISABLED
}
