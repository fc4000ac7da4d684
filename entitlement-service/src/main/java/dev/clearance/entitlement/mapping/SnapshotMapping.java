package dev.clearance.entitlement.mapping;

import dev.clearance.entitlement.domain.ModelFamilyEntity;
import dev.clearance.entitlement.domain.ModelVersionEntity;
import dev.clearance.entitlement.domain.PolicyRecords;
import dev.clearance.entitlement.domain.StoredDirective;
import dev.clearance.entitlement.reference.CountryGroupTable;
import dev.clearance.entitlement.v1.Directive;
import dev.clearance.entitlement.v1.PolicySnapshot;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Everything stored at one revision to the wire snapshot routers decide on. */
public final class SnapshotMapping {
    private SnapshotMapping() {
    }

    public static PolicySnapshot toProto(PolicyRecords records, CountryGroupTable countryGroups, Instant compileTime) {
        PolicySnapshot.Builder b = PolicySnapshot.newBuilder()
                .setRevision(records.revision())
                .setCompileTime(TimeMapping.toTimestamp(compileTime))
                .addAllEmbargoedRegions(countryGroups.embargoedRegions())
                .setCountryGroupsIssueDate(countryGroups.issueDate().toString());

        // Versions grouped in family order, each family oldest first.
        Map<String, List<ModelVersionEntity>> versionsByFamily = new HashMap<>();
        for (ModelVersionEntity v : records.versions()) {
            versionsByFamily.computeIfAbsent(v.familyId, k -> new ArrayList<>()).add(v);
        }
        for (ModelFamilyEntity f : records.families()) {
            b.addFamilies(CatalogueMapping.toProto(f));
            versionsByFamily.getOrDefault(f.id, List.of()).stream()
                    .sorted((x, y) -> Integer.compare(x.ordinal, y.ordinal))
                    .forEach(v -> b.addVersions(CatalogueMapping.toProto(v)));
        }
        records.aliases().forEach(a -> b.addAliases(CatalogueMapping.toProto(a)));
        records.tiers().forEach(t -> b.addTiers(EntitlementMapping.toProto(t)));
        records.programmes().forEach(p -> b.addProgrammes(EntitlementMapping.toProto(p)));
        records.memberships().forEach(m -> b.addProgrammeMemberships(EntitlementMapping.toEntry(m)));
        records.subscriptions().forEach(s -> b.addSubscriptions(EntitlementMapping.toProto(s)));
        records.grants().forEach(g -> b.addGrants(EntitlementMapping.toProto(g)));
        records.licences().forEach(l -> b.addLicences(EntitlementMapping.toProto(l)));
        List<Directive> directives = new ArrayList<>();
        for (StoredDirective d : records.directives()) {
            // Drafts, suspended and revoked directives never affect a decision.
            if (d.directive().state.inSnapshot()) {
                directives.add(snapshotDirective(d, countryGroups));
            }
        }
        // By name in Java's order, not the database collation's: a replica applying one directive's
        // change to its held snapshot (PolicyChange) puts it where a full rebuild would.
        directives.sort(Comparator.comparing(Directive::getName));
        b.addAllDirectives(directives);
        return b.build();
    }

    /** A directive as a snapshot carries it: evaluated against this table, recording this table's date. */
    public static Directive snapshotDirective(StoredDirective d, CountryGroupTable countryGroups) {
        return DirectiveMapping.toSnapshotProto(d, countryGroups).toBuilder()
                .setCountryGroupsIssueDate(countryGroups.issueDate().toString()).build();
    }
}
