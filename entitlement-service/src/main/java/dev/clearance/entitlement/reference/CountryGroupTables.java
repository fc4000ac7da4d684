package dev.clearance.entitlement.reference;

import dev.clearance.entitlement.domain.CountryGroupTableEntity;
import dev.clearance.entitlement.service.CurrentPolicy;
import dev.clearance.entitlement.service.PolicyHolder;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which EAR country-group table applies. Candidates are the shipped table (the jar's copy or
 * {@code clearance.country-groups.path}) and every table an operator loaded; the one with the newest
 * effective date that is not in the future (UTC) is in force, and on a tie the loaded one wins (an
 * operator's correction of the same issue). Loading an older table later never replaces a newer
 * one: the order of loading does not matter, only the dates.
 *
 * <p>The snapshot builder chooses with {@link #choose}, inside its read transaction, so a snapshot
 * and the table it expanded come from the same state; everything else asks {@link #inForce()}, the
 * table of the newest published snapshot (what routers decide with).
 */
@ApplicationScoped
public class CountryGroupTables {

    private final CountryGroupTable shipped;
    private final PolicyHolder holder;
    private final List<String> excludedRegions;
    /** Parsed loaded tables by effective date (documents are immutable once stored). */
    private final Map<LocalDate, CountryGroupTable> loaded = new ConcurrentHashMap<>();
    private volatile Clock clock = Clock.systemUTC();

    public CountryGroupTables(CountryGroupTable shipped, PolicyHolder holder,
                              @ConfigProperty(name = "clearance.embargo.excluded-regions") Optional<List<String>> excluded) {
        this.shipped = shipped;
        this.holder = holder;
        this.excludedRegions = excluded.orElse(List.of());
    }

    public CountryGroupTable shipped() {
        return shipped;
    }

    /** Today in UTC: a table dated today is in force. */
    public LocalDate today() {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC));
    }

    /** Tests move "today" to check tables dated ahead; null restores the system clock. */
    public void useClock(Clock clock) {
        this.clock = clock == null ? Clock.systemUTC() : clock;
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
     * The table in force given the newest loaded table dated today or earlier (null when none).
     */
    public CountryGroupTable choose(CountryGroupTableEntity newestDue) {
        if (newestDue == null || newestDue.effectiveDate.isBefore(shipped.issueDate())) {
            return shipped;
        }
        return parsed(newestDue);
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
