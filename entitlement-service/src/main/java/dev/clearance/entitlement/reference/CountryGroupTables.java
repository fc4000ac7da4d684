package dev.clearance.entitlement.reference;

import dev.clearance.entitlement.domain.CountryGroupTableEntity;
import dev.clearance.entitlement.service.CurrentPolicy;
import dev.clearance.entitlement.service.PolicyHolder;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which EAR country-group table applies. Candidates are the shipped table (the jar's copy or
 * {@code clearance.country-groups.path}) and every table an operator loaded; the one with the newest
 * effective date that is not in the future (UTC) is in force, and on a tie the loaded one wins (an
 * operator's correction of the same issue). Loading an older table later never replaces a newer
 * one: the order of loading does not matter, only the dates.
 *
 * <p>A table that lacks a group a live directive names is never brought into force: no snapshot
 * could expand that directive, so every snapshot would fail and the routers would go stale. Loads
 * and new directives are checked so this cannot arise; should it still (rows changed by hand), the
 * next older table stays in force and {@link #heldBack()} says which table waits and why.
 *
 * <p>The snapshot builder chooses with {@link #choose}, inside its read transaction, so a snapshot
 * and the table it expanded come from the same state; everything else asks {@link #inForce()}, the
 * table of the newest published snapshot (what routers decide with).
 */
@ApplicationScoped
public class CountryGroupTables {

    private static final Logger LOG = Logger.getLogger(CountryGroupTables.class);

    /** A due table kept out of force because it cannot expand the live directives. */
    public record HeldBack(LocalDate effectiveDate, SortedSet<String> missingGroups, LocalDate inForceInstead) {
        public String describe() {
            return "the table of " + effectiveDate + " lacks " + String.join(", ", missingGroups)
                    + ", named by live directives; the table of " + inForceInstead + " stays in force";
        }
    }

    private final CountryGroupTable shipped;
    private final PolicyHolder holder;
    private final Clock clock;
    private final List<String> excludedRegions;
    /** Parsed loaded tables by effective date (documents are immutable once stored). */
    private final Map<LocalDate, CountryGroupTable> loaded = new ConcurrentHashMap<>();
    private volatile HeldBack heldBack;

    public CountryGroupTables(CountryGroupTable shipped, PolicyHolder holder, Clock clock,
                              @ConfigProperty(name = "clearance.embargo.excluded-regions") Optional<List<String>> excluded) {
        this.shipped = shipped;
        this.holder = holder;
        this.clock = clock;
        this.excludedRegions = excluded.orElse(List.of());
    }

    public CountryGroupTable shipped() {
        return shipped;
    }

    /** Today in UTC: a table dated today is in force. */
    public LocalDate today() {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC));
    }

    /** A loaded table, parsed once (with the configured embargo exclusions, as the shipped one). */
    public CountryGroupTable parsed(CountryGroupTableEntity stored) {
        return loaded.computeIfAbsent(stored.effectiveDate, d -> CountryGroupTable.read(stored.document, excludedRegions));
    }

    /** Parses a document as it would be stored (validated beforehand). */
    public CountryGroupTable parse(String document) {
        return CountryGroupTable.read(document, excludedRegions);
    }

    /**
     * The table in force: the newest of the shipped table and the loaded tables dated today or
     * earlier ({@code due}, newest first) that knows every group in {@code namedGroups} (the groups
     * the snapshot's directives name). Newer tables that do not are held back, said by
     * {@link #heldBack()} and logged. When no candidate knows them all the newest is returned and
     * expanding the directive fails as loudly as it always did.
     */
    public CountryGroupTable choose(List<CountryGroupTableEntity> due, Collection<String> namedGroups) {
        List<CountryGroupTable> candidates = new ArrayList<>(due.size() + 1);
        for (CountryGroupTableEntity e : due) {
            // On a tie the loaded table goes first: an operator's correction of the shipped issue.
            if (!candidates.contains(shipped) && e.effectiveDate.isBefore(shipped.issueDate())) {
                candidates.add(shipped);
            }
            candidates.add(parsed(e));
        }
        if (!candidates.contains(shipped)) {
            candidates.add(shipped);
        }
        CountryGroupTable newestLacking = null;
        for (CountryGroupTable table : candidates) {
            if (covers(table, namedGroups)) {
                remember(newestLacking == null ? null
                        : new HeldBack(newestLacking.issueDate(), missing(newestLacking, namedGroups), table.issueDate()));
                return table;
            }
            newestLacking = newestLacking == null ? table : newestLacking;
        }
        remember(null);
        return candidates.get(0);
    }

    private void remember(HeldBack now) {
        HeldBack before = heldBack;
        if (now != null && !now.equals(before)) {
            LOG.warnf("country-group %s", now.describe());
        } else if (now == null && before != null) {
            LOG.infof("the country-group table of %s is no longer held back", before.effectiveDate());
        }
        heldBack = now;
    }

    private static boolean covers(CountryGroupTable table, Collection<String> groups) {
        for (String group : groups) {
            if (!table.knows(group)) {
                return false;
            }
        }
        return true;
    }

    private static SortedSet<String> missing(CountryGroupTable table, Collection<String> groups) {
        SortedSet<String> missing = new TreeSet<>();
        for (String group : groups) {
            if (!table.knows(group)) {
                missing.add(group);
            }
        }
        return missing;
    }

    /** The newest due table the last snapshot build kept out of force, or null. */
    public HeldBack heldBack() {
        return heldBack;
    }

    /** The table the newest published snapshot applies; the shipped one before any snapshot. */
    public CountryGroupTable inForce() {
        CurrentPolicy policy = holder.current();
        if (policy == null || policy.proto().getCountryGroupsIssueDate().isEmpty()) {
            return shipped;
        }
        LocalDate date = LocalDate.parse(policy.proto().getCountryGroupsIssueDate());
        CountryGroupTable table = loaded.get(date);
        return table != null ? table : shipped;
    }
}
