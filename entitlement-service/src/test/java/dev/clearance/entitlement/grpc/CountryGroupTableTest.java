package dev.clearance.entitlement.grpc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Timestamp;
import dev.clearance.api.mapping.PolicyMapping;
import dev.clearance.common.v1.Change;
import dev.clearance.entitlement.Catalogue;
import dev.clearance.entitlement.Grpc;
import dev.clearance.entitlement.MovableClock;
import dev.clearance.entitlement.OperatorTokens;
import dev.clearance.entitlement.StoredState;
import dev.clearance.entitlement.domain.CountryGroupTableEntity;
import dev.clearance.entitlement.reference.CountryGroupTables;
import dev.clearance.entitlement.repository.CountryGroupTableRepository;
import dev.clearance.entitlement.service.CountryGroupTableService;
import dev.clearance.entitlement.service.PolicyWrites;
import dev.clearance.entitlement.v1.*;
import dev.clearance.policy.AccessRequest;
import dev.clearance.policy.AssuranceLevel;
import dev.clearance.policy.Caller;
import dev.clearance.policy.Decision;
import dev.clearance.policy.Evaluator;
import dev.clearance.policy.ReasonCode;
import dev.clearance.policy.ScreeningStatus;
import dev.clearance.policy.UsPersonStatus;
import dev.clearance.testing.PostgresTestResource;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loading dated EAR country-group tables (issue 4 item 4) against a real PostgreSQL: validation
 * (nothing stored, revision unchanged), a load is a policy write (revision, change log, snapshot),
 * the newest table not dated ahead is in force whatever the loading order, a table dated ahead
 * comes into force on its date, and a directive naming E:1 follows the table in force. The tables
 * loaded here are removed afterwards (SQL, then a write to republish), so every other test of the
 * run sees the shipped table.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class CountryGroupTableTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @GrpcClient("entitlement")
    EntitlementServiceGrpc.EntitlementServiceBlockingStub client;
    @Inject
    StoredState stored;
    @Inject
    CountryGroupTables tables;
    @Inject
    CountryGroupTableService service;
    @Inject
    CountryGroupTableRepository repository;
    @Inject
    PolicyWrites writes;
    @Inject
    MovableClock clock;

    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);

    @AfterEach
    void removeLoadedTables() throws Throwable {
        clock.reset();
        VertxContextSupport.subscribeAndAwait(() -> writes.write(revision -> repository.deleteAll()));
    }

    /** The shipped table with its date set and E:1 replaced. */
    private static String table(LocalDate date, String... e1) throws IOException {
        ObjectNode root;
        try (InputStream in = CountryGroupTableTest.class.getClassLoader()
                .getResourceAsStream("reference/ear-country-groups.json")) {
            root = (ObjectNode) JSON.readTree(in);
        }
        root.put("ecfr_issue_date", date.toString());
        ArrayNode group = ((ObjectNode) root.get("groups")).putArray("E:1");
        for (String c : e1) {
            group.add(c);
        }
        return JSON.writeValueAsString(root);
    }

    private LoadCountryGroupTableResponse load(String document, String reason) {
        return OperatorTokens.as(client, "cora", "clearance-compliance").loadCountryGroupTable(
                LoadCountryGroupTableRequest.newBuilder().setDocument(document).setReason(reason).build());
    }

    private PolicySnapshot snapshot() {
        return client.getPolicySnapshot(GetPolicySnapshotRequest.getDefaultInstance()).getSnapshot();
    }

    private static Caller national(String country) {
        return new Caller("persons/p-" + country, null, UsPersonStatus.FOREIGN_PERSON, Set.of(country), country,
                AssuranceLevel.IAL2, Instant.parse("2026-01-01T00:00:00Z"), null, ScreeningStatus.CLEAR, 1);
    }

    /** Whether the directive (shadow) would deny a national of each country, decided by the engine on the snapshot. */
    private static List<Boolean> wouldDeny(PolicySnapshot snapshot, String model, String directive, String... countries) {
        var compiled = dev.clearance.policy.PolicySnapshot.compile(PolicyMapping.toInputs(snapshot));
        return java.util.Arrays.stream(countries).map(c -> {
            Decision d = Evaluator.decide(compiled, national(c), AccessRequest.of(model, false, Instant.now()));
            return d.shadowReasons().stream().anyMatch(r -> r.code() == ReasonCode.SHADOW_DIRECTIVE
                    && r.directive().equals(directive));
        }).toList();
    }

    @Test
    void aDirectiveNamingE1FollowsTheTableInForce() throws Throwable {
        Timestamp start = Timestamp.newBuilder().setSeconds(Instant.now().getEpochSecond() - 1).build();
        String fam = "cge" + Catalogue.unique();
        Catalogue.family(client, fam, 1);
        String name = "directives/e1-" + fam;
        client.createDirective(CreateDirectiveRequest.newBuilder().setDirectiveId("e1-" + fam)
                .setDirective(Directive.newBuilder().setIssuer("test").setCitation("E:1 test")
                        .setEffectiveTime(Timestamp.newBuilder().setSeconds(1_700_000_000L))
                        .addScope(FamilyScope.newBuilder().setFamily("families/" + fam))
                        .setSubjects(DirectiveSubjects.newBuilder().setKind(SubjectKind.SUBJECT_KIND_NATIONALS_OF)
                                .addCountryGroups("E:1")))
                .build());
        client.shadowDirective(ShadowDirectiveRequest.newBuilder().setName(name).setReason("watch").build());
        String model = fam + "-1";
        String[] countries = {"IR", "CU", "VE", "IN"};
        String shipped = tables.shipped().issueDate().toString();

        // Rows: the table loaded (or the clock moved), the table then in force, who the directive hits.
        record Row(String step, String inForce, List<Boolean> hits) {
        }
        List<Row> expected = List.of(
                new Row("shipped", shipped, List.of(true, false, false, false)),
                new Row("newer table adds CU", TODAY.minusDays(2).toString(), List.of(true, true, false, false)),
                new Row("older table loaded later", TODAY.minusDays(2).toString(), List.of(true, true, false, false)),
                new Row("table dated ahead", TODAY.minusDays(2).toString(), List.of(true, true, false, false)),
                new Row("its date arrives", TODAY.plusDays(30).toString(), List.of(true, true, true, false)));
        List<Row> actual = new java.util.ArrayList<>();
        PolicySnapshot s = snapshot();
        actual.add(new Row("shipped", s.getCountryGroupsIssueDate(), wouldDeny(s, model, name, countries)));

        long before = stored.revision();
        LoadCountryGroupTableResponse newer = load(table(TODAY.minusDays(2), "IR", "KP", "SY", "CU"), "CU added");
        assertEquals(before + 1, newer.getPolicyRevision());
        assertTrue(newer.getTable().getInForce(), newer.getTable().toString());
        assertEquals(OperatorTokens.actor("cora"), newer.getTable().getLoadedBy());
        s = snapshot();
        assertEquals(newer.getPolicyRevision(), s.getRevision());
        actual.add(new Row("newer table adds CU", s.getCountryGroupsIssueDate(), wouldDeny(s, model, name, countries)));
        Directive inSnapshot = s.getDirectivesList().stream().filter(d -> d.getName().equals(name)).findFirst().orElseThrow();
        assertEquals(List.of("CU", "IR", "KP", "SY"), inSnapshot.getSubjects().getCountriesList().stream().sorted().toList());
        // The directive records the table it is evaluated against, in the snapshot and as stored.
        assertEquals(TODAY.minusDays(2).toString(), inSnapshot.getCountryGroupsIssueDate());
        assertEquals(TODAY.minusDays(2).toString(), client.getDirective(GetDirectiveRequest.newBuilder().setName(name)
                .build()).getDirective().getCountryGroupsIssueDate());
        // The explanation names the group and the table's date.
        var compiled = dev.clearance.policy.PolicySnapshot.compile(PolicyMapping.toInputs(s));
        String message = Evaluator.decide(compiled, national("CU"), AccessRequest.of(model, false, Instant.now()))
                .shadowReasons().get(0).message();
        assertTrue(message.contains("(EAR country group E:1 as of " + TODAY.minusDays(2) + ")"), message);

        LoadCountryGroupTableResponse older = load(table(TODAY.minusDays(5), "IR"), "an older issue, loaded late");
        assertFalse(older.getTable().getInForce());
        s = snapshot();
        assertEquals(older.getPolicyRevision(), s.getRevision(), "a load is a write even when it changes nothing");
        actual.add(new Row("older table loaded later", s.getCountryGroupsIssueDate(), wouldDeny(s, model, name, countries)));

        LocalDate ahead = TODAY.plusDays(30);
        LoadCountryGroupTableResponse future = load(table(ahead, "IR", "KP", "SY", "CU", "VE"), "published ahead");
        assertFalse(future.getTable().getInForce());
        s = snapshot();
        actual.add(new Row("table dated ahead", s.getCountryGroupsIssueDate(), wouldDeny(s, model, name, countries)));
        // Nothing is due today: the activation check writes nothing.
        assertFalse(VertxContextSupport.subscribeAndAwait(() -> service.publishDue()));

        clock.moveTo(ahead.atStartOfDay(ZoneOffset.UTC).toInstant());
        long beforeActivation = stored.revision();
        assertTrue(VertxContextSupport.subscribeAndAwait(() -> service.publishDue()));
        assertEquals(beforeActivation + 1, stored.revision());
        assertFalse(VertxContextSupport.subscribeAndAwait(() -> service.publishDue()), "published once");
        s = snapshot();
        actual.add(new Row("its date arrives", s.getCountryGroupsIssueDate(), wouldDeny(s, model, name, countries)));
        assertEquals(ahead.toString(), client.getDirective(GetDirectiveRequest.newBuilder().setName(name).build())
                .getDirective().getCountryGroupsIssueDate());
        assertEquals(expected, actual);

        // Get and List, newest first, with the one in force.
        ListCountryGroupTablesResponse list = OperatorTokens.as(client, "audrey", "clearance-auditor")
                .listCountryGroupTables(ListCountryGroupTablesRequest.newBuilder().setPageSize(2).build());
        assertEquals(List.of(ahead.toString(), TODAY.minusDays(2).toString()),
                list.getTablesList().stream().map(CountryGroupTable::getEffectiveDate).toList());
        assertEquals(List.of(true, false), list.getTablesList().stream().map(CountryGroupTable::getInForce).toList());
        assertEquals("", list.getTables(0).getDocument(), "List leaves documents out");
        assertEquals(ahead.toString(), list.getInForce().getEffectiveDate());
        ListCountryGroupTablesResponse rest = client.listCountryGroupTables(ListCountryGroupTablesRequest.newBuilder()
                .setPageSize(2).setPageToken(list.getNextPageToken()).build());
        assertEquals(List.of(TODAY.minusDays(5).toString()),
                rest.getTablesList().stream().map(CountryGroupTable::getEffectiveDate).toList());
        assertEquals("", rest.getNextPageToken());
        CountryGroupTable got = client.getCountryGroupTable(GetCountryGroupTableRequest.newBuilder()
                .setName("countryGroupTables/" + TODAY.minusDays(2)).build()).getTable();
        assertEquals("CU added", got.getReason());
        assertTrue(got.getDocument().contains("\"ecfr_issue_date\":\"" + TODAY.minusDays(2) + "\""));
        assertEquals(List.of("IR", "KP", "SY", "CU").stream().sorted().toList(), got.getGroupsList().stream()
                .filter(g -> g.getLabel().equals("E:1")).findFirst().orElseThrow().getCountriesList());
        CountryGroupTable shippedTable = client.getCountryGroupTable(GetCountryGroupTableRequest.newBuilder()
                .setName("countryGroupTables/" + shipped).build()).getTable();
        assertTrue(shippedTable.getShipped());
        Grpc.expect(Status.Code.NOT_FOUND, () -> client.getCountryGroupTable(GetCountryGroupTableRequest.newBuilder()
                .setName("countryGroupTables/2001-01-01").build()));

        // The change log: each load by its operator, the activation by the scheduler.
        List<Change> changes = client.listChanges(ListChangesRequest.newBuilder().setResource("countryGroupTables/*")
                .setStartTime(start).build()).getChangesList();
        assertEquals(List.of("IN_FORCE " + ahead, "CREATE " + ahead, "CREATE " + TODAY.minusDays(5),
                        "CREATE " + TODAY.minusDays(2)),
                changes.stream().map(c -> c.getAction() + " " + c.getResource().substring("countryGroupTables/".length()))
                        .toList());
        assertEquals(OperatorTokens.actor("cora"), changes.get(1).getActor());
        assertEquals("published ahead", changes.get(1).getReason());

        // What survives a restart is what is stored: the rows themselves, read back.
        List<CountryGroupTableEntity> rows = VertxContextSupport.subscribeAndAwait(
                () -> Panache.withSession(() -> repository.listAll()));
        assertEquals(3, rows.size());
    }

    @Test
    void anInvalidTableIsRefusedFieldByFieldAndNothingIsStored() throws Throwable {
        long before = stored.revision();
        ObjectNode bad = (ObjectNode) JSON.readTree(table(TODAY.minusDays(3), "IR", "ZZ"));
        bad.put("ecfr_issue_date", "23 July 2026");
        ((ObjectNode) bad.get("groups")).putArray("D:9");
        ((ObjectNode) bad.get("comprehensive_embargoes").get("regions")).put("XX-1", "nowhere");
        var e = Grpc.expectViolations(() -> load(JSON.writeValueAsString(bad), "bad"),
                "document.ecfr_issue_date", "document.groups[\"E:1\"][1]", "document.groups[\"D:9\"]",
                "document.comprehensive_embargoes.regions[\"XX-1\"]");
        assertTrue(dev.clearance.api.ApiError.fieldViolations(e).get(1).getDescription().contains("ZZ"));
        Grpc.expectViolations(() -> load("{\"ecfr_issue_date\": \"2026-08-01\", \"groups\": {}}", ""),
                "document.groups", "document.comprehensive_embargoes");
        Grpc.expectViolations(() -> load("[1, 2", ""), "document");
        Grpc.expectViolations(() -> load("", ""), "document");
        assertEquals(before, stored.revision(), "nothing written");
        assertEquals(0L, (long) VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> repository.count())));

        // A table that drops a group a directive names could never be applied.
        String fam = "cgd" + Catalogue.unique();
        Catalogue.family(client, fam, 1);
        client.createDirective(CreateDirectiveRequest.newBuilder().setDirectiveId("d5-" + fam)
                .setDirective(Directive.newBuilder().setIssuer("test").setCitation("D:5 test")
                        .addScope(FamilyScope.newBuilder().setFamily("families/" + fam))
                        .setSubjects(DirectiveSubjects.newBuilder().setKind(SubjectKind.SUBJECT_KIND_NATIONALS_OF)
                                .addCountryGroups("D:5")))
                .build());
        ObjectNode withoutD5 = (ObjectNode) JSON.readTree(table(TODAY.minusDays(3), "IR"));
        ((ObjectNode) withoutD5.get("groups")).remove("D:5");
        long beforeDrop = stored.revision();
        var dropped = Grpc.expectViolations(() -> load(JSON.writeValueAsString(withoutD5), ""), "document.groups[\"D:5\"]");
        assertTrue(dev.clearance.api.ApiError.fieldViolations(dropped).get(0).getDescription()
                .contains("directives/d5-" + fam), dropped.toString());
        assertEquals(beforeDrop, stored.revision());

        // One table per date.
        String ok = table(TODAY.minusDays(3), "IR", "KP", "SY");
        load(ok, "first");
        Grpc.expect(Status.Code.ALREADY_EXISTS, () -> load(ok, "again"));
    }
    /** The shipped table with its date set and one group removed. */
    private static String tableWithout(LocalDate date, String group) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(table(date, "IR", "KP", "SY"));
        ((ObjectNode) root.get("groups")).remove(group);
        return JSON.writeValueAsString(root);
    }

    private static CreateDirectiveRequest namingGroup(String id, String family, String group) {
        return CreateDirectiveRequest.newBuilder().setDirectiveId(id)
                .setDirective(Directive.newBuilder().setIssuer("test").setCitation(group + " test")
                        .addScope(FamilyScope.newBuilder().setFamily("families/" + family))
                        .setSubjects(DirectiveSubjects.newBuilder().setKind(SubjectKind.SUBJECT_KIND_NATIONALS_OF)
                                .addCountryGroups(group)))
                .build();
    }

    @Test
    void aDirectiveNamingAGroupThatATableDatedAheadLacksIsRefused() throws Throwable {
        String fam = "cga" + Catalogue.unique();
        Catalogue.family(client, fam, 1);
        LocalDate ahead = TODAY.plusDays(10);
        load(tableWithout(ahead, "D:3"), "drops D:3 from its date");

        // Known to the table in force, but the table dated ahead could not expand it on its date.
        long before = stored.revision();
        var refused = Grpc.expectViolations(() -> client.createDirective(namingGroup("d3-" + fam, fam, "D:3")),
                "directive.subjects.country_groups[0]");
        String why = dev.clearance.api.ApiError.fieldViolations(refused).get(0).getDescription();
        assertTrue(why.contains("D:3") && why.contains(ahead.toString()), why);
        assertEquals(before, stored.revision(), "nothing written");
        Grpc.expect(Status.Code.NOT_FOUND, () -> client.getDirective(GetDirectiveRequest.newBuilder()
                .setName("directives/d3-" + fam).build()));

        // A group both tables know is accepted, and the table still comes into force on its date.
        String kept = client.createDirective(namingGroup("d1-" + fam, fam, "D:1")).getDirective().getName();
        clock.moveTo(ahead.atStartOfDay(ZoneOffset.UTC).toInstant());
        assertTrue(VertxContextSupport.subscribeAndAwait(() -> service.publishDue()));
        assertEquals(ahead.toString(), snapshot().getCountryGroupsIssueDate());
        client.revokeDirective(RevokeDirectiveRequest.newBuilder().setName(kept).setReason("test done").build());
    }

    @Test
    void aDueTableThatCannotExpandALiveDirectiveIsHeldBackAndTheOlderOneStaysInForce() throws Throwable {
        String fam = "cgh" + Catalogue.unique();
        Catalogue.family(client, fam, 1);
        String name = client.createDirective(namingGroup("d4-" + fam, fam, "D:4")).getDirective().getName();
        client.shadowDirective(ShadowDirectiveRequest.newBuilder().setName(name).setReason("watch").build());
        String before = snapshot().getCountryGroupsIssueDate();

        // A row the load would have refused (stored as by hand): due today, without D:4.
        LocalDate due = TODAY.minusDays(1);
        String document = tableWithout(due, "D:4");
        VertxContextSupport.subscribeAndAwait(() -> writes.write(revision -> {
            CountryGroupTableEntity e = new CountryGroupTableEntity();
            e.effectiveDate = due;
            e.document = document;
            e.loadedBy = "test (bypassing the load checks)";
            e.loadTime = Instant.now();
            e.reason = "";
            e.policyRevision = revision;
            e.activationRevision = revision;
            return repository.persist(e);
        }));
        PolicySnapshot held = snapshot();
        assertEquals(before, held.getCountryGroupsIssueDate(), "the older table stays in force");
        assertTrue(held.getDirectivesList().stream().anyMatch(d -> d.getName().equals(name)),
                "the directive is still expanded and published");
        CountryGroupTables.HeldBack heldBack = tables.heldBack();
        assertEquals(due, heldBack.effectiveDate());
        assertTrue(heldBack.missingGroups().contains("D:4"), heldBack.toString());
        assertEquals(before, heldBack.inForceInstead().toString());

        // Once no live directive names D:4 the table comes into force with the next write.
        client.revokeDirective(RevokeDirectiveRequest.newBuilder().setName(name).setReason("test done").build());
        assertEquals(due.toString(), snapshot().getCountryGroupsIssueDate());
        assertEquals(null, tables.heldBack());
    }
}
