package dev.clearance.entitlement.domain;

public enum CarveOutKind {
    /** A valid licence naming the person and the model. */
    LICENSED_PERSONS,
    PROGRAMME,
    ORGANISATION,
    /** The persons one named licence ({@code licences/..}) covers, for its models, while valid. */
    LICENCE
}
