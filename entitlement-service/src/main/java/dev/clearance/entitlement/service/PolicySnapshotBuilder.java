package dev.clearance.entitlement.service;

import dev.clearance.entitlement.domain.ModelAliasEntity;
import dev.clearance.entitlement.domain.ModelFamilyEntity;
import dev.clearance.entitlement.domain.ModelVersionEntity;
import dev.clearance.entitlement.domain.PolicyRecords;
import dev.clearance.entitlement.domain.ProgrammeMembershipEntity;
import dev.clearance.entitlement.domain.StoredGrant;
import dev.clearance.entitlement.domain.StoredLicence;
import dev.clearance.entitlement.domain.StoredProgramme;
import dev.clearance.entitlement.domain.StoredTier;
import dev.clearance.entitlement.domain.SubscriptionEntity;
import dev.clearance.entitlement.mapping.SnapshotMapping;
import dev.clearance.entitlement.mapping.TimeMapping;
import dev.clearance.entitlement.reference.CountryGroupTable;
import dev.clearance.entitlement.reference.CountryGroupTables;
import dev.clearance.entitlement.repository.CountryGroupTableRepository;
import dev.clearance.entitlement.repository.DirectiveRepository;
import dev.clearance.entitlement.repository.GrantRepository;
import dev.clearance.entitlement.repository.LicenceRepository;
import dev.clearance.entitlement.repository.ModelAliasRepository;
import dev.clearance.entitlement.repository.ModelFamilyRepository;
import dev.clearance.entitlement.repository.ModelVersionRepository;
import dev.clearance.entitlement.repository.PolicyRevisionRepository;
import dev.clearance.entitlement.repository.ProgrammeMembershipRepository;
import dev.clearance.entitlement.repository.ProgrammeRepository;
import dev.clearance.entitlement.repository.SubscriptionRepository;
import dev.clearance.entitlement.repository.TierRepository;
import dev.clearance.entitlement.v1.PolicySnapshot;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Reads every record that can affect a decision in one read-only REPEATABLE READ transaction,
 * so the snapshot is exactly the state at the revision it carries (a write committing midway
 * cannot leak half into it), and maps it to the wire snapshot.
 */
@ApplicationScoped
public class PolicySnapshotBuilder {

    private static final Logger LOG = Logger.getLogger(PolicySnapshotBuilder.class);

    private final PolicyRevisionRepository revisions;
    private final ModelFamilyRepository families;
    private final ModelVersionRepository versions;
    private final ModelAliasRepository aliases;
    private final TierRepository tiers;
    private final ProgrammeRepository programmes;
    private final ProgrammeMembershipRepository memberships;
    private final SubscriptionRepository subscriptions;
    private final GrantRepository grants;
    private final LicenceRepository licences;
    private final DirectiveRepository directives;
    private final CountryGroupTables countryGroups;
    private final CountryGroupTableRepository countryGroupTables;

    public PolicySnapshotBuilder(PolicyRevisionRepository revisions, ModelFamilyRepository families,
                                 ModelVersionRepository versions, ModelAliasRepository aliases, TierRepository tiers,
                                 ProgrammeRepository programmes, ProgrammeMembershipRepository memberships,
                                 SubscriptionRepository subscriptions, GrantRepository grants,
                                 LicenceRepository licences, DirectiveRepository directives,
                                 CountryGroupTables countryGroups, CountryGroupTableRepository countryGroupTables) {
        this.revisions = revisions;
        this.families = families;
        this.versions = versions;
        this.aliases = aliases;
        this.tiers = tiers;
        this.programmes = programmes;
        this.memberships = memberships;
        this.subscriptions = subscriptions;
        this.grants = grants;
        this.licences = licences;
        this.directives = directives;
        this.countryGroups = countryGroups;
        this.countryGroupTables = countryGroupTables;
    }

    public Uni<PolicySnapshot> build() {
        CountryGroupTable[] table = new CountryGroupTable[1];
        long start = System.nanoTime();
        return Panache.withTransaction(() -> Panache.getSession()
                        // Must be the first statement of the transaction.
                        .chain(s -> s.createNativeQuery("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                                .executeUpdate())
                        .chain(this::readRecords)
                        // The country-group table in force, read with the records it expands.
                        .call(records -> countryGroupTables.dueNewestFirst(countryGroups.today())
                                .invoke(due -> table[0] = countryGroups.choose(due, records.namedCountryGroups()))))
                .map(records -> {
                    long read = System.nanoTime();
                    PolicySnapshot proto = SnapshotMapping.toProto(records, table[0], TimeMapping.now());
                    LOG.debugf("policy revision %d read in %.1f ms, mapped in %.1f ms", (Object) proto.getRevision(),
                            (read - start) / 1e6, (System.nanoTime() - read) / 1e6);
                    return proto;
                });
    }

    /** One statement at a time: a reactive session runs them sequentially. */
    private Uni<PolicyRecords> readRecords() {
        var r = new Object() {
            long revision;
            List<ModelFamilyEntity> families;
            List<ModelVersionEntity> versions;
            List<ModelAliasEntity> aliases;
            List<StoredTier> tiers;
            List<StoredProgramme> programmes;
            List<ProgrammeMembershipEntity> memberships;
            List<SubscriptionEntity> subscriptions;
            List<StoredGrant> grants;
            List<StoredLicence> licences;
        };
        return revisions.current().invoke(v -> r.revision = v)
                .chain(families::all).invoke(v -> r.families = v)
                .chain(versions::all).invoke(v -> r.versions = v)
                .chain(aliases::all).invoke(v -> r.aliases = v)
                .chain(tiers::all).invoke(v -> r.tiers = v)
                .chain(programmes::all).invoke(v -> r.programmes = v)
                .chain(memberships::all).invoke(v -> r.memberships = v)
                .chain(subscriptions::all).invoke(v -> r.subscriptions = v)
                .chain(grants::all).invoke(v -> r.grants = v)
                .chain(licences::all).invoke(v -> r.licences = v)
                .chain(directives::inSnapshot)
                .map(d -> new PolicyRecords(r.revision, r.families, r.versions, r.aliases, r.tiers, r.programmes,
                        r.memberships, r.subscriptions, r.grants, r.licences, d));
    }
}
