package dev.clearance.entitlement.mapping;

import dev.clearance.entitlement.domain.CountryGroupTableEntity;
import dev.clearance.entitlement.reference.CountryGroupTable;
import dev.clearance.entitlement.v1.CountryGroup;
import dev.clearance.entitlement.validation.CountryGroupTableRequests;

/** Country-group tables to the wire. */
public final class CountryGroupTableMapping {

    private CountryGroupTableMapping() {
    }

    /** A loaded table; {@code withDocument} adds the JSON as loaded. */
    public static dev.clearance.entitlement.v1.CountryGroupTable toProto(CountryGroupTableEntity stored,
                                                                        CountryGroupTable parsed, boolean inForce,
                                                                        boolean withDocument) {
        var b = content(parsed)
                .setLoadedBy(stored.loadedBy)
                .setLoadTime(TimeMapping.toTimestamp(stored.loadTime))
                .setReason(stored.reason)
                .setPolicyRevision(stored.policyRevision)
                .setInForce(inForce);
        if (withDocument) {
            b.setDocument(stored.document);
        }
        return b.build();
    }

    /** A table's content and flags without loader or document (the shipped one, or the one in force). */
    public static dev.clearance.entitlement.v1.CountryGroupTable summary(CountryGroupTable table, boolean shipped,
                                                                        boolean inForce) {
        return content(table).setShipped(shipped).setInForce(inForce).build();
    }

    private static dev.clearance.entitlement.v1.CountryGroupTable.Builder content(CountryGroupTable table) {
        var b = dev.clearance.entitlement.v1.CountryGroupTable.newBuilder()
                .setName(CountryGroupTableRequests.name(table.issueDate()))
                .setEffectiveDate(table.issueDate().toString())
                .addAllEmbargoedRegions(table.embargoedRegions());
        table.groups().forEach((label, countries) ->
                b.addGroups(CountryGroup.newBuilder().setLabel(label).addAllCountries(countries)));
        return b;
    }
}
