package dev.clearance.entitlement.service;

import com.google.protobuf.Timestamp;
import dev.clearance.entitlement.v1.Directive;
import dev.clearance.entitlement.v1.PolicySnapshot;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class PolicyChangeTest {

    private static final Timestamp COMPILED = Timestamp.newBuilder().setSeconds(1_800_000_000L).build();

    private static Directive directive(String id, String table) {
        return Directive.newBuilder().setName("directives/" + id).setCitation("cite " + id)
                .setCountryGroupsIssueDate(table).build();
    }

    private static PolicySnapshot held(long revision, String... ids) {
        PolicySnapshot.Builder b = PolicySnapshot.newBuilder().setRevision(revision).setCountryGroupsIssueDate("2026-07-23");
        for (String id : ids) {
            b.addDirectives(directive(id, "2026-07-23"));
        }
        return b.build();
    }

    private static List<String> names(PolicySnapshot s) {
        return s.getDirectivesList().stream().map(Directive::getName).toList();
    }

    @Test
    void thePayloadCarriesTheChangeAndReadsBack() {
        PolicyChange enforced = new PolicyChange(12, "bis-ed", directive("bis-ed", "2026-07-23"));
        assertEquals(enforced, PolicyChange.parse(enforced.payload()));
        PolicyChange left = new PolicyChange(13, "bis-ed", null);
        assertEquals("13 directive bis-ed -", left.payload());
        assertEquals(left, PolicyChange.parse(left.payload()));
    }

    @Test
    void aPlainRevisionOrAnUnreadablePayloadCarriesNoChange() {
        assertNull(PolicyChange.parse("12"));
        assertNull(PolicyChange.parse("12 directive bis-ed !!not-base64!!"));
        assertNull(PolicyChange.parse("12 tier gold -"));
        assertNull(PolicyChange.parse("x directive bis-ed -"));
        assertNull(PolicyChange.parse(null));
    }

    @Test
    void aChangeTooLargeForNotifyIsAnnouncedByRevisionOnly() {
        Directive big = directive("big", "2026-07-23").toBuilder().setCitation("x".repeat(PolicyChange.MAX_PAYLOAD)).build();
        assertEquals("14", new PolicyChange(14, "big", big).payload());
    }

    @Test
    void appliesToTheRevisionJustBeforeKeepingDirectivesInNameOrder() {
        PolicySnapshot before = held(4, "a", "c");
        PolicySnapshot added = new PolicyChange(5, "b", directive("b", "2026-07-23")).applyTo(before, COMPILED);
        assertEquals(List.of("directives/a", "directives/b", "directives/c"), names(added));
        assertEquals(5, added.getRevision());
        assertEquals(COMPILED, added.getCompileTime());

        Directive changedC = directive("c", "2026-07-23").toBuilder().setCitation("amended").build();
        PolicySnapshot replaced = new PolicyChange(6, "c", changedC).applyTo(added, COMPILED);
        assertEquals(List.of("directives/a", "directives/b", "directives/c"), names(replaced));
        assertEquals("amended", replaced.getDirectives(2).getCitation());

        PolicySnapshot removed = new PolicyChange(7, "a", null).applyTo(replaced, COMPILED);
        assertEquals(List.of("directives/b", "directives/c"), names(removed));
        PolicySnapshot absentStaysAbsent = new PolicyChange(8, "zz", null).applyTo(removed, COMPILED);
        assertEquals(names(removed), names(absentStaysAbsent));
        assertEquals(8, absentStaysAbsent.getRevision());
    }

    @Test
    void refusesAnythingButTheRevisionJustBeforeOrAnotherCountryGroupTable() {
        PolicyChange change = new PolicyChange(5, "b", directive("b", "2026-07-23"));
        assertNull(change.applyTo(held(3, "a"), COMPILED), "a revision in between was not seen here");
        assertNull(change.applyTo(held(5, "a"), COMPILED), "already held");
        assertNull(change.applyTo(null, COMPILED), "nothing held");
        assertNull(new PolicyChange(5, "b", directive("b", "2027-01-01")).applyTo(held(4, "a"), COMPILED),
                "expanded with another table than the held snapshot's");
    }
}
