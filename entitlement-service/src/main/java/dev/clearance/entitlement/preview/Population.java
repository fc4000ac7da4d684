package dev.clearance.entitlement.preview;

import dev.clearance.policy.Caller;

import java.util.List;

/**
 * Everyone a directive could hit, as identity-service knows them: each person as a caller; each
 * organisation holding organisation-wide API keys as the one caller those keys are (status
 * UNKNOWN); and every active API key, decided as what it is bound to. {@code organisations}:
 * how many organisations were listed (members are evaluated as persons, keys as above).
 */
public record Population(List<Caller> persons, int organisations, List<Caller> organisationKeys, List<ApiKey> apiKeys) {

    /**
     * An active API key. {@code person} is {@code persons/{id}} for a key bound to a person (it is
     * that person for every decision) and null for an organisation-wide key; {@code organisation} is
     * the key's organisation (the person's, or the owner of an organisation-wide key), or null.
     */
    public record ApiKey(String name, String prefix, String person, String organisation) {
        public boolean organisationWide() {
            return person == null;
        }

        public String owner() {
            return person != null ? person : organisation;
        }
    }

    public Population {
        persons = List.copyOf(persons);
        organisationKeys = List.copyOf(organisationKeys);
        apiKeys = List.copyOf(apiKeys);
    }
}
