package dev.clearance.entitlement.domain;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every stored record that can affect a decision, read at one revision in one transaction.
 *
 * @param families ordered by id
 * @param versions ordered by family id, then ordinal (oldest first)
 */
public record PolicyRecords(
        long revision,
        List<ModelFamilyEntity> families,
        List<ModelVersionEntity> versions,
        List<ModelAliasEntity> aliases,
        List<StoredTier> tiers,
        List<StoredProgramme> programmes,
        List<ProgrammeMembershipEntity> memberships,
        List<SubscriptionEntity> subscriptions,
        List<StoredGrant> grants,
        List<StoredLicence> licences,
        List<StoredDirective> directives) {

    /** Every EAR country group a directive of the snapshot names: the table in force must know them. */
    public Set<String> namedCountryGroups() {
        Set<String> groups = new TreeSet<>();
        for (StoredDirective d : directives) {
            groups.addAll(d.countryGroups());
        }
        return groups;
    }
}
