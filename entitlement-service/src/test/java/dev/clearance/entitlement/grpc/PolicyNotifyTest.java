package dev.clearance.entitlement.grpc;

import dev.clearance.entitlement.Catalogue;
import dev.clearance.entitlement.Grpc;
import dev.clearance.entitlement.propagation.PolicyNotifications;
import dev.clearance.entitlement.service.PolicyChange;
import dev.clearance.entitlement.service.PolicyHolder;
import dev.clearance.entitlement.service.PolicyRefresh;
import dev.clearance.entitlement.service.PolicySnapshotBuilder;
import io.quarkus.vertx.VertxContextSupport;
import dev.clearance.entitlement.v1.*;
import dev.clearance.testing.PostgresTestResource;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writes NOTIFY in their own transaction, and a NOTIFY from elsewhere (another replica) makes
 * this one rebuild and publish. A plain JDBC connection plays both the listening observer and
 * the other replica.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class PolicyNotifyTest {

    private static final long AWAIT_SECONDS = 60;

    @GrpcClient("entitlement")
    EntitlementServiceGrpc.EntitlementServiceBlockingStub client;

    @Inject
    PolicyHolder holder;

    @Inject
    PolicyNotifications notifications;

    @Inject
    PolicyRefresh refresh;

    @Inject
    PolicySnapshotBuilder builder;

    private static Connection database() throws Exception {
        Config config = ConfigProvider.getConfig();
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class));
    }

    private static String schema() {
        return ConfigProvider.getConfig().getValue("clearance.db.schema", String.class);
    }

    /** Notifications on the policy channel, waiting (bounded) until {@code enough} holds. */
    private static List<String> payloads(Connection listener, java.util.function.Predicate<List<String>> enough)
            throws Exception {
        List<String> payloads = new ArrayList<>();
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS);
        PGConnection pg = listener.unwrap(PGConnection.class);
        while (!enough.test(payloads) && System.nanoTime() < giveUp) {
            PGNotification[] received = pg.getNotifications(200);
            if (received != null) {
                for (PGNotification n : received) {
                    assertEquals("clearance_policy", n.getName());
                    payloads.add(n.getParameter());
                }
            }
        }
        return payloads;
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS);
        while (!condition.getAsBoolean() && System.nanoTime() < giveUp) {
            Thread.sleep(20);
        }
    }

    @Test
    void aCommittedWriteNotifiesItsRevisionAndARolledBackOneNothing() throws Exception {
        try (Connection listener = database(); Statement s = listener.createStatement()) {
            s.execute("LISTEN clearance_policy");
            String fam = "nt" + Catalogue.unique();
            // Fails inside the write transaction (the parent family does not exist): rolled back.
            Grpc.expect(Status.Code.INVALID_ARGUMENT, () -> client.createModelVersion(CreateModelVersionRequest.newBuilder()
                    .setParent("families/" + fam).setVersionId(fam + "-1")
                    .setVersion(ModelVersion.newBuilder().setStatus(ModelVersionStatus.MODEL_VERSION_STATUS_GA))
                    .build()));
            client.createModelFamily(CreateModelFamilyRequest.newBuilder().setFamilyId(fam).build());
            long revision = client.getPolicySnapshot(GetPolicySnapshotRequest.getDefaultInstance())
                    .getSnapshot().getRevision();

            List<String> payloads = payloads(listener, p -> p.contains(Long.toString(revision)));
            assertTrue(payloads.contains(Long.toString(revision)), "the write's revision was notified: " + payloads);
            assertEquals(List.of(Long.toString(revision)), payloads,
                    "exactly one notification: the rolled-back write sent none (it never committed)");
        }
    }

    @Test
    void aWriteThroughAnotherReplicaIsPublishedHere() throws Exception {
        await(notifications::listening);
        assertTrue(notifications.listening(), "this replica LISTENs on the policy channel");
        String tier = "foreign-" + Catalogue.unique();
        long revision;
        // What another replica's write looks like from the database: bump, write, NOTIFY, commit.
        try (Connection other = database(); Statement s = other.createStatement()) {
            other.setAutoCommit(false);
            try (ResultSet rs = s.executeQuery("UPDATE " + schema() + ".policy_revision SET revision = revision + 1 "
                    + "RETURNING revision")) {
                rs.next();
                revision = rs.getLong(1);
            }
            s.executeUpdate("INSERT INTO " + schema() + ".tier (id, display_name, create_time) VALUES ('" + tier
                    + "', 'from replica B', now())");
            s.execute("SELECT pg_notify('clearance_policy', '" + revision + "')");
            other.commit();
        }
        await(() -> holder.current() != null && holder.current().revision() >= revision);
        assertTrue(holder.current().revision() >= revision, "the notified revision was published");
        assertTrue(holder.current().proto().getTiersList().stream().anyMatch(t -> t.getName().equals("tiers/" + tier)),
                "with the other replica's write in it");
        assertEquals(holder.current().revision(),
                client.getPolicySnapshot(GetPolicySnapshotRequest.getDefaultInstance()).getSnapshot().getRevision());
    }

    /** The held snapshot and a full rebuild from the database at the same revision, compile times aside. */
    private void assertHeldIsWhatAFullRebuildReads() throws Throwable {
        PolicySnapshot full = VertxContextSupport.subscribeAndAwait(builder::build);
        assertEquals(full.getRevision(), holder.current().revision());
        assertEquals(full.toBuilder().clearCompileTime().build(),
                holder.current().proto().toBuilder().clearCompileTime().build());
    }

    @Test
    void aDirectiveCreateAndStepsCarryTheirChangeOnTheNotifyAndArePublishedWithoutReReadingThePolicy() throws Throwable {
        String fam = "nd" + Catalogue.unique();
        Catalogue.family(client, fam, 3);
        String id = "nd-" + fam;
        String name = "directives/" + id;
        try (Connection listener = database(); Statement s = listener.createStatement()) {
            s.execute("LISTEN clearance_policy");
            long rebuilds = refresh.rebuilds();
            long before = holder.current().revision();
            client.createDirective(CreateDirectiveRequest.newBuilder().setDirectiveId(id).setDirective(Directive.newBuilder()
                    .setIssuer("BIS").setReference("letter").setCitation("15 CFR 734.13")
                    .addScope(FamilyScope.newBuilder().setFamily("families/" + fam))
                    .setSubjects(DirectiveSubjects.newBuilder().setKind(SubjectKind.SUBJECT_KIND_FOREIGN_PERSONS)))
                    .build());
            // A draft is in no snapshot: its revision says "nothing here changed" and is published as such.
            String drafted = (before + 1) + " directive " + id + " -";
            List<String> created = payloads(listener, p -> p.contains(drafted));
            assertTrue(created.contains(drafted), "the draft's revision carries its (empty) change: " + created);
            assertTrue(holder.current().revision() >= before + 1);
            assertFalse(holder.current().proto().getDirectivesList().stream().anyMatch(d -> d.getName().equals(name)));
            assertEquals(rebuilds, refresh.rebuilds(), "published from the change: no rebuild");
            assertHeldIsWhatAFullRebuildReads();

            long enforced = client.enforceDirective(EnforceDirectiveRequest.newBuilder().setName(name)
                    .setReason("emergency").setEmergency(true).build()).getPolicyRevision();
            String prefix = enforced + " directive " + id + " ";
            List<String> payloads = payloads(listener, p -> p.stream().anyMatch(x -> x.startsWith(prefix)));
            PolicyChange change = payloads.stream().filter(x -> x.startsWith(prefix)).findFirst()
                    .map(PolicyChange::parse).orElseThrow(() -> new AssertionError("no change on the NOTIFY: " + payloads));
            assertEquals(name, change.directive().getName());
            assertTrue(holder.current().proto().getDirectivesList().contains(change.directive()),
                    "the snapshot holds the directive the NOTIFY carried");
            assertEquals(rebuilds, refresh.rebuilds(), "published from the change: no rebuild");
            assertHeldIsWhatAFullRebuildReads();

            long revoked = client.revokeDirective(RevokeDirectiveRequest.newBuilder().setName(name)
                    .setReason("lifted").build()).getPolicyRevision();
            List<String> after = payloads(listener, p -> p.contains(revoked + " directive " + id + " -"));
            assertTrue(after.contains(revoked + " directive " + id + " -"), "the directive left the snapshot: " + after);
            assertFalse(holder.current().proto().getDirectivesList().stream().anyMatch(d -> d.getName().equals(name)));
            assertEquals(rebuilds, refresh.rebuilds(), "published from the change: no rebuild");
            assertHeldIsWhatAFullRebuildReads();
        }
    }

    @Test
    void aChangeThatDoesNotFollowTheHeldRevisionIsRebuiltFromTheDatabase() throws Exception {
        await(notifications::listening);
        String tier = "missed-" + Catalogue.unique();
        long held = holder.current().revision();
        long revision;
        try (Connection other = database(); Statement s = other.createStatement()) {
            other.setAutoCommit(false);
            // Another replica's write whose NOTIFY this replica never heard ...
            s.executeQuery("UPDATE " + schema() + ".policy_revision SET revision = revision + 1 RETURNING revision").close();
            s.executeUpdate("INSERT INTO " + schema() + ".tier (id, display_name, create_time) VALUES ('" + tier
                    + "', 'missed', now())");
            other.commit();
            // ... then one announcing a change: it does not follow the held revision, so it must not be applied to it.
            try (ResultSet rs = s.executeQuery("UPDATE " + schema() + ".policy_revision SET revision = revision + 1 "
                    + "RETURNING revision")) {
                rs.next();
                revision = rs.getLong(1);
            }
            Directive ghost = Directive.newBuilder().setName("directives/ghost")
                    .setCountryGroupsIssueDate(holder.current().proto().getCountryGroupsIssueDate()).build();
            s.execute("SELECT pg_notify('clearance_policy', '" + new PolicyChange(revision, "ghost", ghost).payload() + "')");
            other.commit();
        }
        assertEquals(held + 2, revision, "no other write in between");
        await(() -> holder.current().revision() >= revision);
        assertTrue(holder.current().revision() >= revision, "the notified revision was published");
        assertTrue(holder.current().proto().getTiersList().stream().anyMatch(t -> t.getName().equals("tiers/" + tier)),
                "rebuilt from the database: the missed write is in it");
        assertFalse(holder.current().proto().getDirectivesList().stream()
                .anyMatch(d -> d.getName().equals("directives/ghost")), "the change was not applied over the gap");
    }
}
