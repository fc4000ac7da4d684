package dev.clearance.identity.keycloak;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What one successful sync did. {@code changedPersons} and {@code changedOrganisations} are the
 * ids whose caller identity may differ now (published on the change stream after commit).
 */
public record SyncReport(Instant startTime, Instant endTime, int usersSeen, int organisationsSeen,
                         List<Change> changes, List<String> problems,
                         Set<String> changedPersons, Set<String> changedOrganisations) {

    public enum Action { CREATED, LINKED, UPDATED }

    /** {@code resource}: {@code persons/{id}} or {@code organisations/{id}}. */
    public record Change(String resource, Action action, String detail) {
        @Override
        public String toString() {
            return action + " " + resource + ": " + detail;
        }
    }
}
