package dev.clearance.entitlement.service;

import dev.clearance.api.ApiError;
import dev.clearance.entitlement.domain.Attribution;
import dev.clearance.entitlement.domain.CountryGroupTableEntity;
import dev.clearance.entitlement.mapping.CountryGroupTableMapping;
import dev.clearance.entitlement.mapping.TimeMapping;
import dev.clearance.entitlement.reference.CountryGroupTable;
import dev.clearance.entitlement.reference.CountryGroupTables;
import dev.clearance.entitlement.repository.CountryGroupTableRepository;
import dev.clearance.entitlement.v1.GetCountryGroupTableRequest;
import dev.clearance.entitlement.v1.ListCountryGroupTablesRequest;
import dev.clearance.entitlement.v1.ListCountryGroupTablesResponse;
import dev.clearance.entitlement.v1.LoadCountryGroupTableRequest;
import dev.clearance.entitlement.v1.LoadCountryGroupTableResponse;
import dev.clearance.entitlement.validation.CountryGroupTableRequests;
import dev.clearance.entitlement.validation.PageRequest;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.clearance.entitlement.EntitlementErrors.alreadyExists;
import static dev.clearance.entitlement.EntitlementErrors.invalid;
import static dev.clearance.entitlement.EntitlementErrors.notFound;

/**
 * Loading, reading and bringing into force dated EAR country-group tables. A load is a policy
 * write like any other (revision bump, NOTIFY, change-log row, one transaction); a table dated
 * ahead is stored at once and published by {@link #publishDue} on its date.
 */
@ApplicationScoped
public class CountryGroupTableService {

    private static final Logger LOG = Logger.getLogger(CountryGroupTableService.class);
    /** Change-log action of the write that publishes a table which reached its effective date. */
    public static final String IN_FORCE = "IN_FORCE";
    static final String SCHEDULER = "clearance (country-group table effective date)";

    private final CountryGroupTableRepository tables;
    private final CountryGroupTables countryGroups;
    private final PolicyWrites writes;
    private final ChangeLog changes;

    public CountryGroupTableService(CountryGroupTableRepository tables, CountryGroupTables countryGroups,
                                    PolicyWrites writes, ChangeLog changes) {
        this.tables = tables;
        this.countryGroups = countryGroups;
        this.writes = writes;
        this.changes = changes;
    }

    public Uni<LoadCountryGroupTableResponse> load(LoadCountryGroupTableRequest r, String actor) {
        LocalDate date = CountryGroupTableRequests.check(r);
        CountryGroupTable parsed = countryGroups.parse(r.getDocument());
        String name = CountryGroupTableRequests.name(date);
        return writes.write(revision -> tables.findById(date).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().failure(alreadyExists(name).toException());
            }
            return tables.groupsNamedByDirectives().chain(named -> {
                keepsNamedGroups(parsed, named);
                LocalDate today = countryGroups.today();
                CountryGroupTableEntity e = new CountryGroupTableEntity();
                e.effectiveDate = date;
                e.document = r.getDocument();
                e.loadedBy = actor;
                e.loadTime = TimeMapping.now();
                e.reason = r.getReason();
                e.policyRevision = revision;
                // Dated today or earlier: this revision's snapshot is the first built with it available.
                e.activationRevision = date.isAfter(today) ? null : revision;
                boolean inForce = !date.isAfter(today) && !date.isBefore(countryGroups.inForce().issueDate());
                return tables.persist(e)
                        .call(() -> inForce ? tables.directivesEvaluatedAgainst(date) : Uni.createFrom().voidItem())
                        .call(() -> changes.record(new Attribution(actor, r.getReason()), revision, name,
                                ChangeLog.CREATE, null, CountryGroupTableMapping.toProto(e, parsed, inForce, false)))
                        .invoke(() -> LOG.infof("%s loaded by %s at revision %d (%d groups; %s)", name, actor, revision,
                                parsed.groups().size(), date.isAfter(today) ? "in force from " + date
                                        : inForce ? "in force now" : "older than the table in force: not applied"))
                        .replaceWith(e);
            });
        })).map(stored -> {
            // The write answered once its snapshot was published: in force is what that snapshot applies.
            CountryGroupTable current = countryGroups.inForce();
            boolean inForce = current.issueDate().equals(date) && current != countryGroups.shipped();
            return LoadCountryGroupTableResponse.newBuilder()
                    .setTable(CountryGroupTableMapping.toProto(stored, countryGroups.parsed(stored), inForce, true))
                    .setPolicyRevision(stored.policyRevision).build();
        });
    }

    /** A directive naming a group the new table lacks could not be expanded: refuse, naming them. */
    private static void keepsNamedGroups(CountryGroupTable parsed, List<Object[]> named) {
        Map<String, List<String>> missing = new TreeMap<>();
        for (Object[] row : named) {
            String label = (String) row[0];
            if (!parsed.knows(label)) {
                missing.computeIfAbsent(label, k -> new ArrayList<>()).add("directives/" + row[1]);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        ApiError errors = invalid();
        missing.forEach((label, directives) -> errors.violation("document.groups[\"" + label + "\"]",
                "is missing, and " + String.join(", ", directives) + " name it"));
        errors.throwIfViolations();
    }

    public Uni<dev.clearance.entitlement.v1.CountryGroupTable> get(GetCountryGroupTableRequest r) {
        LocalDate date = CountryGroupTableRequests.checkName(r);
        CountryGroupTable inForce = countryGroups.inForce();
        return Panache.withSession(() -> tables.findById(date)).map(stored -> {
            if (stored != null) {
                CountryGroupTable parsed = countryGroups.parsed(stored);
                return CountryGroupTableMapping.toProto(stored, parsed, parsed == inForce, true);
            }
            CountryGroupTable shipped = countryGroups.shipped();
            if (shipped.issueDate().equals(date)) {
                return CountryGroupTableMapping.summary(shipped, true, shipped == inForce);
            }
            throw notFound(r.getName()).toException();
        });
    }

    public Uni<ListCountryGroupTablesResponse> list(ListCountryGroupTablesRequest r) {
        ApiError errors = invalid();
        String query = "countryGroupTables";
        PageRequest page = PageRequest.parse(errors, r.getPageSize(), r.getPageToken(), query);
        LocalDate before = null;
        if (page.after() != null) {
            try {
                before = LocalDate.parse(page.after());
            } catch (RuntimeException e) {
                errors.violation("page_token", "is not a page token of this list");
            }
        }
        errors.throwIfViolations();
        LocalDate after = before;
        CountryGroupTable inForce = countryGroups.inForce();
        return Panache.withSession(() -> tables.page(after, page.fetchSize())).map(rows -> {
            Page<CountryGroupTableEntity> p = Page.of(rows, page, query, e -> e.effectiveDate.toString());
            ListCountryGroupTablesResponse.Builder out = ListCountryGroupTablesResponse.newBuilder()
                    .setNextPageToken(p.nextPageToken());
            for (CountryGroupTableEntity e : p.items()) {
                CountryGroupTable parsed = countryGroups.parsed(e);
                out.addTables(CountryGroupTableMapping.toProto(e, parsed, parsed == inForce, false));
            }
            return out.setInForce(CountryGroupTableMapping.summary(inForce, inForce == countryGroups.shipped(), true))
                    .build();
        });
    }

    /**
     * Publishes a new revision when a loaded table has reached its effective date and no revision
     * since has (every replica may try; the first marks the tables, the others find nothing due and
     * roll their bump back). Returns whether it wrote.
     */
    public Uni<Boolean> publishDue() {
        LocalDate today = countryGroups.today();
        return Panache.withSession(() -> tables.anyDueUnpublished(today)).chain(anyDue -> {
            if (!anyDue) {
                return Uni.createFrom().item(false);
            }
            return writes.write(revision -> tables.dueUnpublished(today).chain(due -> {
                if (due.isEmpty()) {
                    return Uni.createFrom().failure(new NothingDue());
                }
                Uni<Void> recorded = Uni.createFrom().voidItem();
                for (CountryGroupTableEntity e : due) {
                    e.activationRevision = revision;
                    String name = CountryGroupTableRequests.name(e.effectiveDate);
                    LOG.infof("%s reached its effective date: published at revision %d", name, revision);
                    recorded = recorded.call(() -> changes.record(new Attribution(SCHEDULER, "effective date reached"),
                            revision, name, IN_FORCE, null, null));
                }
                // The newest due table is the one now in force (unless the shipped one is newer still,
                // or it lacks a group a directive names: then the snapshot builder holds it back).
                CountryGroupTableEntity newest = due.stream().max(Comparator.comparing(t -> t.effectiveDate))
                        .orElseThrow();
                return recorded.call(() -> newest.effectiveDate.isBefore(countryGroups.shipped().issueDate())
                                ? Uni.createFrom().voidItem()
                                : tables.groupsNamedByDirectives().chain(named -> {
                                    CountryGroupTable parsed = countryGroups.parsed(newest);
                                    if (named.stream().allMatch(row -> parsed.knows((String) row[0]))) {
                                        return tables.directivesEvaluatedAgainst(newest.effectiveDate).replaceWithVoid();
                                    }
                                    LOG.warnf("%s reached its date but lacks a group a directive names: not applied",
                                            CountryGroupTableRequests.name(newest.effectiveDate));
                                    return Uni.createFrom().voidItem();
                                }))
                        .replaceWith(true);
            })).onFailure(NothingDue.class).recoverWithItem(false);
        });
    }

    /** Another replica published the due tables first; rolls this write (and its bump) back. */
    private static final class NothingDue extends RuntimeException {
        NothingDue() {
            super(null, null, false, false);
        }
    }
}
