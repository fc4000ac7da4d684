package dev.clearance.entitlement.preview;

import dev.clearance.policy.Caller;

import java.util.List;

/**
 * Everyone a directive could hit, as identity-service knows them: each person as a caller, and
 * each organisation as the caller its organisation-wide API keys are (status UNKNOWN).
 */
public record Population(List<Caller> persons, List<Caller> organisationKeys) {
    public Population {
        persons = List.copyOf(persons);
        organisationKeys = List.copyOf(organisationKeys);
    }
}
