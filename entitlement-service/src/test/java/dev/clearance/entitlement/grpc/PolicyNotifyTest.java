package dev.clearance.entitlement.grpc;

import dev.clearance.entitlement.Catalogue;
import dev.clearance.entitlement.Grpc;
import dev.clearance.entitlement.propagation.PolicyNotifications;
import dev.clearance.entitlement.service.PolicyHolder;
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
}
