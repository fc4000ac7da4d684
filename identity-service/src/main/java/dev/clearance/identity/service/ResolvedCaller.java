package dev.clearance.identity.service;

import dev.clearance.identity.domain.Person;
import dev.clearance.identity.domain.ScreeningStatus;

/**
 * Who a credential belongs to. Everything else the caller identity reports is read from the
 * stored person.
 *
 * @param person         null for an organisation API key
 * @param organisationId the person's organisation or the key's; may be null
 * @param apiKeyId       set when an API key (or an {@code apiKeys/} subject) was resolved
 * @param subject        the token subject for a bearer token
 * @param organisationScreening the organisation's screening status; null without an organisation
 */
public record ResolvedCaller(Person person, String organisationId, CredentialKind credentialKind, String apiKeyId,
                             String subject, ScreeningStatus organisationScreening) {

    /** The worse of the person's and their organisation's screening status. */
    public ScreeningStatus screeningStatus() {
        ScreeningStatus own = person == null ? ScreeningStatus.CLEAR : person.screeningStatus();
        return own.worst(organisationScreening);
    }

    public enum CredentialKind {
        BEARER_TOKEN, API_KEY, SUBJECT
    }
}
