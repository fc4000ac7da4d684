package dev.clearance.identity.service;

/** A validated CreateOrganisation request. */
public record NewOrganisation(String id, String displayName, String country) {
}
