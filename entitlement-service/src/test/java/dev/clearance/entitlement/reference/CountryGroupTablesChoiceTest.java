package dev.clearance.entitlement.reference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clearance.entitlement.domain.CountryGroupTableEntity;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Which table {@link CountryGroupTables#choose} brings into force, by table: the newest due one
 * wins (a loaded table on a tie with the shipped one), unless it lacks a group a directive in the
 * snapshot names; then the next older that knows them all stays in force and the newer is held back.
 */
class CountryGroupTablesChoiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalDate SHIPPED = LocalDate.of(2026, 7, 23);

    private static String shippedDocument() throws Exception {
        try (InputStream in = CountryGroupTablesChoiceTest.class.getClassLoader()
                .getResourceAsStream(CountryGroupTableProducer.BUNDLED)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** A loaded table: the shipped document dated {@code date}, without {@code dropped} groups. */
    private static CountryGroupTableEntity loaded(String date, String... dropped) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(shippedDocument());
        root.put("ecfr_issue_date", date);
        for (String group : dropped) {
            ((ObjectNode) root.get("groups")).remove(group);
        }
        CountryGroupTableEntity e = new CountryGroupTableEntity();
        e.effectiveDate = LocalDate.parse(date);
        e.document = JSON.writeValueAsString(root);
        return e;
    }

    private record Case(String name, List<CountryGroupTableEntity> dueNewestFirst, Set<String> named,
                        String inForce, String heldBack) {
    }

    @Test
    void choosesTheNewestDueTableThatCanExpandEveryNamedGroup() throws Exception {
        List<Case> cases = List.of(
                new Case("nothing loaded", List.of(), Set.of("D:5"), "2026-07-23", null),
                new Case("a newer table", List.of(loaded("2026-09-01")), Set.of("D:5"), "2026-09-01", null),
                new Case("a newer table without a named group", List.of(loaded("2026-09-01", "D:5")),
                        Set.of("D:5", "E:1"), "2026-07-23", "2026-09-01 lacks [D:5], 2026-07-23 instead"),
                new Case("a newer table without a group nobody names", List.of(loaded("2026-09-01", "D:2")),
                        Set.of("D:5"), "2026-09-01", null),
                new Case("the newest lacks it, the one before has it",
                        List.of(loaded("2026-10-01", "D:5"), loaded("2026-09-01")), Set.of("D:5"),
                        "2026-09-01", "2026-10-01 lacks [D:5], 2026-09-01 instead"),
                new Case("a loaded table dated as the shipped one wins the tie", List.of(loaded("2026-07-23", "D:2")),
                        Set.of("D:5"), "2026-07-23 loaded", null),
                new Case("an older loaded table never replaces the shipped one", List.of(loaded("2026-05-01")),
                        Set.of(), "2026-07-23", null),
                new Case("no table knows the group: the newest, to fail as before",
                        List.of(loaded("2026-09-01", "D:9x")), Set.of("D:9"), "2026-09-01", null));

        List<String> expected = new ArrayList<>();
        List<String> actual = new ArrayList<>();
        for (Case c : cases) {
            CountryGroupTables tables = new CountryGroupTables(
                    CountryGroupTable.read(shippedDocument(), List.of()), null, Clock.systemUTC(), Optional.empty());
            CountryGroupTable chosen = tables.choose(c.dueNewestFirst(), c.named());
            String inForce = chosen.issueDate() + (chosen != tables.shipped() && chosen.issueDate().equals(SHIPPED)
                    ? " loaded" : "");
            CountryGroupTables.HeldBack held = tables.heldBack();
            String heldBack = held == null ? null
                    : held.effectiveDate() + " lacks " + held.missingGroups() + ", " + held.inForceInstead() + " instead";
            expected.add(c.name() + ": " + c.inForce() + " / " + c.heldBack());
            actual.add(c.name() + ": " + inForce + " / " + heldBack);
        }
        assertEquals(expected, actual);
    }
}
