package dev.clearance.identity.service;

import dev.clearance.identity.domain.Person;

/**
 * Who a credential belongs to. Everything else the caller identity reports is read from the
 * stored person.
 *
 * @param person         null for an organisation API key
 * @param organisationId the person's organisation or the key's; may be null
 * @param apiKeyId       set when an API key (or an {@code apiKeys/} subject) was resolved
 * @param subject        the token subject for a bearer token
 */
public record ResolvedCaller(Person person, String organisationId, CredentialKind credentialKind, String apiKeyId,
                             String subject) {

    public enum CredentialKind {
        BEARER_TOKEN, API_KEY, SUBJECT
    }
}
