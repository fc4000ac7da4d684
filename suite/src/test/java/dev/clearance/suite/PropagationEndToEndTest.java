package dev.clearance.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import com.google.rpc.ErrorInfo;
import dev.clearance.api.ApiError;
import dev.clearance.common.v1.AssuranceLevel;
import dev.clearance.common.v1.Decision;
import dev.clearance.common.v1.Outcome;
import dev.clearance.common.v1.ReasonCode;
import dev.clearance.entitlement.v1.CreateDirectiveRequest;
import dev.clearance.entitlement.v1.CreateModelFamilyRequest;
import dev.clearance.entitlement.v1.CreateModelVersionRequest;
import dev.clearance.entitlement.v1.CreateSubscriptionRequest;
import dev.clearance.entitlement.v1.CreateTierRequest;
import dev.clearance.entitlement.v1.Directive;
import dev.clearance.entitlement.v1.DirectiveSubjects;
import dev.clearance.entitlement.v1.EnforceDirectiveRequest;
import dev.clearance.entitlement.v1.EnforceDirectiveResponse;
import dev.clearance.entitlement.v1.EntitlementServiceGrpc;
import dev.clearance.entitlement.v1.FamilyScope;
import dev.clearance.entitlement.v1.GetPolicySnapshotRequest;
import dev.clearance.entitlement.v1.GetPropagationStatusRequest;
import dev.clearance.entitlement.v1.ModelFamily;
import dev.clearance.entitlement.v1.ModelVersion;
import dev.clearance.entitlement.v1.ModelVersionStatus;
import dev.clearance.entitlement.v1.PropagationStatus;
import dev.clearance.entitlement.v1.RevokeDirectiveRequest;
import dev.clearance.entitlement.v1.RouterPropagation;
import dev.clearance.entitlement.v1.SubjectKind;
import dev.clearance.entitlement.v1.Subscription;
import dev.clearance.entitlement.v1.Tier;
import dev.clearance.identity.v1.ApiKey;
import dev.clearance.identity.v1.Citizenship;
import dev.clearance.identity.v1.CreateApiKeyRequest;
import dev.clearance.identity.v1.CreateOrganisationRequest;
import dev.clearance.identity.v1.CreatePersonRequest;
import dev.clearance.identity.v1.IdentityServiceGrpc;
import dev.clearance.identity.v1.ImmigrationStatus;
import dev.clearance.identity.v1.Organisation;
import dev.clearance.identity.v1.Person;
import dev.clearance.identity.v1.RecordVerificationRequest;
import dev.clearance.identity.v1.Verification;
import dev.clearance.router.v1.GenerateResponse;
import dev.clearance.router.v1.StreamGenerateRequest;
import dev.clearance.router.v1.StreamGenerateResponse;
import dev.clearance.testing.EmbeddedDatabase;
import dev.clearance.testing.PostgresConnection;
import dev.clearance.testing.TestIssuer;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Propagation across processes (issue 6): PostgreSQL, identity-service, TWO entitlement-service
 * replicas (A and B, one database) and THREE routers (router-a watches A, router-b watches B,
 * router-c lists both and fails over between them), each its own JVM. No Keycloak: the caller is a
 * person-bound API key from identity-service, and the admin calls carry access tokens signed by a
 * {@link TestIssuer} whose JWKS this test serves; the services verify them exactly as Keycloak's
 * (signature, issuer, audience, expiry, roles).
 *
 * <p>Shown, in this order (each step leaves the control plane as the next one expects):
 * a write through A reaches router-b, and either replica reports both routers' apply times; an
 * open StreamGenerate is cut with PERMISSION_DENIED when a directive lands; when the replica
 * router-c watches is killed, router-c reconnects to the other and follows a write made there; with both replicas
 * gone the routers go stale (bound 3 s here), refuse controlled models with POLICY_STALE and
 * serve the rest, and recover when A returns; a router restarted while the control plane is
 * down serves from its snapshot file, stale; with PostgreSQL stopped, writes answer UNAVAILABLE
 * and the router keeps its snapshot until the bound, then refuses controlled models.
 *
 * <p>Nothing is timed: every wait is a bounded poll for a state, never an assertion on how long
 * it took. Ports 31100-31105 (gRPC) and 30100-30105 (HTTP) collide with no other suite or test and lie
 * below the kernel's ephemeral range (32768-60999), where any socket bound to port 0 could take them.
 * The services run from private copies of their built fast-jars ({@code mvn -B -DskipTests package}
 * first); logs and snapshot files stay in {@code suite/target/propagation-e2e/<run>/}.
 * Run alone: {@code mvn -B -o -pl suite verify -Dtest=PropagationEndToEndTest} (about 1.5 min).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PropagationEndToEndTest {

    private static final int ROUTER_A_GRPC = 31100;
    private static final int IDENTITY_GRPC = 31101;
    private static final int ENTITLEMENT_A_GRPC = 31102;
    private static final int ROUTER_B_GRPC = 31103;
    private static final int ENTITLEMENT_B_GRPC = 31104;
    private static final int ROUTER_C_GRPC = 31105;
    private static final int HTTP_OFFSET = -1000;

    /** Bounds a broken test; never measures anything. */
    private static final long AWAIT_SECONDS = 90;
    private static final String STALENESS_BOUND = "3s";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TestIssuer ISSUER = new TestIssuer();
    /** The operator of every admin call here. */
    private static final CallerCredentials OPERATOR = CallerCredentials.admin(
            () -> ISSUER.token("propagation-operator", "propagation-operator", TestIssuer.ADMIN, TestIssuer.COMPLIANCE));
    private static TestIssuer.JwksServer jwks;

    private static Path runDirectory;
    private static EmbeddedDatabase embedded;
    private static PostgresConnection database;
    private static String identitySchema;
    private static String entitlementSchema;
    private static ServiceProcess identity;
    private static ServiceProcess entitlementA;
    private static ServiceProcess entitlementB;
    private static ServiceProcess routerA;
    private static ServiceProcess routerB;
    private static ServiceProcess routerC;
    private static final List<ManagedChannel> channels = new ArrayList<>();
    private static EntitlementServiceGrpc.EntitlementServiceBlockingStub replicaA;
    private static EntitlementServiceGrpc.EntitlementServiceBlockingStub replicaB;
    private static RouterClient bogdanOnRouterA;
    private static RouterClient bogdanOnRouterB;
    private static RouterClient bogdanOnRouterC;

    // ------------------------------------------------------------------------------------------
    // The process set: one per class.

    @BeforeAll
    static void startProcesses() throws Exception {
        Path home = SuiteConfig.locateHome();
        String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        runDirectory = home.resolve("suite/target/propagation-e2e/" + run);
        identitySchema = "prop_identity_" + run;
        entitlementSchema = "prop_entitlement_" + run;
        String external = System.getenv("CLEARANCE_DB_URL");
        if (external != null && !external.isBlank()) {
            database = PostgresConnection.parseJdbcUrl(external);
        } else {
            embedded = EmbeddedDatabase.start();
            database = embedded.connection();
        }

        jwks = ISSUER.serveJwks();
        identity = service("identity-service", "identity-service", IDENTITY_GRPC, identityProperties());
        entitlementA = service("entitlement-service", "entitlement-a", ENTITLEMENT_A_GRPC, entitlementProperties("entitlement-a"));
        entitlementB = service("entitlement-service", "entitlement-b", ENTITLEMENT_B_GRPC, entitlementProperties("entitlement-b"));
        routerA = service("model-router", "router-a", ROUTER_A_GRPC, routerProperties("router-a", ENTITLEMENT_A_GRPC));
        routerB = service("model-router", "router-b", ROUTER_B_GRPC, routerProperties("router-b", ENTITLEMENT_B_GRPC));
        routerC = service("model-router", "router-c", ROUTER_C_GRPC,
                routerProperties("router-c", ENTITLEMENT_A_GRPC, ENTITLEMENT_B_GRPC));

        // Replica A migrates the schema alone; B starts against the migrated one. Routers become
        // ready when their replica has sent them a snapshot.
        inParallel(identity::start, entitlementA::start);
        inParallel(entitlementB::start, routerA::start, routerB::start, routerC::start);

        replicaA = EntitlementServiceGrpc.newBlockingStub(channel(ENTITLEMENT_A_GRPC)).withInterceptors(OPERATOR);
        replicaB = EntitlementServiceGrpc.newBlockingStub(channel(ENTITLEMENT_B_GRPC)).withInterceptors(OPERATOR);
        String secret = loadData();
        bogdanOnRouterA = new RouterClient(channel(ROUTER_A_GRPC), CallerCredentials.apiKey(secret));
        bogdanOnRouterB = new RouterClient(channel(ROUTER_B_GRPC), CallerCredentials.apiKey(secret));
        bogdanOnRouterC = new RouterClient(channel(ROUTER_C_GRPC), CallerCredentials.apiKey(secret));
        long revision = replicaA.getPolicySnapshot(GetPolicySnapshotRequest.getDefaultInstance()).getSnapshot()
                .getRevision();
        awaitStatus(replicaA, revision, s -> applied(s, "router-a") && applied(s, "router-b") && applied(s, "router-c"),
                "every router holds the loaded data");
    }

    @AfterAll
    static void stopProcesses() {
        for (ManagedChannel c : channels) {
            c.shutdownNow();
        }
        for (ServiceProcess p : new ServiceProcess[] {routerA, routerB, routerC, entitlementA, entitlementB, identity}) {
            if (p != null) {
                p.stop();
            }
        }
        if (database != null && embedded == null) {
            try (Connection c = database.open(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS \"" + identitySchema + "\" CASCADE");
                s.execute("DROP SCHEMA IF EXISTS \"" + entitlementSchema + "\" CASCADE");
            } catch (Exception e) {
                System.err.println("could not drop the test's schemas: " + e);
            }
        }
        if (embedded != null) {
            embedded.stop();
        }
        if (jwks != null) {
            jwks.close();
        }
        // The private copies of the service jars are large; the logs stay for reading.
        if (runDirectory != null) {
            try (Stream<Path> paths = Files.walk(runDirectory.resolve("apps"))) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                System.err.println("could not delete the copied service jars: " + e);
            }
        }
    }

    /**
     * A service from a private copy of its fast-jar: a module rebuilt by someone else while this
     * test runs cannot pull the files from under a running process.
     */
    private static ServiceProcess service(String module, String name, int grpcPort, Map<String, String> properties)
            throws IOException {
        Path app = runDirectory.resolve("apps/" + module);
        if (!Files.isDirectory(app)) {
            Path built = SuiteConfig.locateHome().resolve(module + "/target/quarkus-app");
            if (!Files.isRegularFile(built.resolve("quarkus-run.jar"))) {
                throw new IllegalStateException(module + " is not built: mvn -B -DskipTests package");
            }
            copyTree(built, app);
        }
        return new ServiceProcess(name, app.resolve("quarkus-run.jar"), properties, grpcPort, grpcPort + HTTP_OFFSET,
                runDirectory.resolve("logs/" + name + ".log"), SuiteConfig.SHORT_LIVED_JVM);
    }

    private static Map<String, String> datasource(String schema) {
        Map<String, String> p = new HashMap<>();
        p.put("clearance.oidc.issuer", ISSUER.issuer());
        p.put("clearance.oidc.jwks-url", jwks.url());
        p.put("quarkus.datasource.reactive.url", database.reactiveUrl());
        p.put("quarkus.datasource.jdbc.url", database.jdbcUrl());
        p.put("quarkus.datasource.username", database.user());
        p.put("quarkus.datasource.password", database.password());
        p.put("clearance.db.schema", schema);
        return p;
    }

    private static Map<String, String> identityProperties() {
        return datasource(identitySchema);
    }

    private static Map<String, String> entitlementProperties(String replica) {
        Map<String, String> p = datasource(entitlementSchema);
        p.put("quarkus.grpc.clients.identity.host", "localhost");
        p.put("quarkus.grpc.clients.identity.port", Integer.toString(IDENTITY_GRPC));
        p.put("clearance.replica.id", replica);
        p.put("clearance.propagation.presence-interval", "1s");
        p.put("clearance.propagation.live-window", "5s");
        return p;
    }

    /** A router watching the one replica on {@code entitlementPorts}, or failing over between several. */
    private static Map<String, String> routerProperties(String router, int... entitlementPorts) {
        Map<String, String> p = new HashMap<>();
        p.put("quarkus.grpc.clients.identity.host", "localhost");
        p.put("quarkus.grpc.clients.identity.port", Integer.toString(IDENTITY_GRPC));
        if (entitlementPorts.length == 1) {
            p.put("quarkus.grpc.clients.entitlement.host", "localhost");
            p.put("quarkus.grpc.clients.entitlement.port", Integer.toString(entitlementPorts[0]));
        } else {
            // The documented failover set-up: Stork's static list of replicas (model-router README).
            p.put("quarkus.grpc.clients.entitlement.name-resolver", "stork");
            p.put("quarkus.grpc.clients.entitlement.host", "entitlement");
            p.put("quarkus.stork.entitlement.service-discovery.type", "static");
            p.put("quarkus.stork.entitlement.service-discovery.address-list", java.util.Arrays.stream(entitlementPorts)
                    .mapToObj(port -> "localhost:" + port).collect(Collectors.joining(",")));
        }
        p.put("clearance.router.id", router);
        p.put("clearance.router.staleness-bound", STALENESS_BOUND);
        // identity-service shares the database the last test stops: a cached caller must outlive that test so
        // what it shows is the policy going stale, not the identity lookup failing (which also denies).
        p.put("clearance.router.identity-cache-ttl", "10m");
        p.put("clearance.router.snapshot-path", runDirectory.resolve(router + "/policy-snapshot.pb").toString());
        p.put("clearance.router.policy-watch.max-backoff", "1s");
        p.put("clearance.router.echo.slow-chunk-delay", "200ms");
        return p;
    }

    /**
     * Through the admin APIs only: organisation acme on tier pro (fable-*, lyric-*, sonnet-*);
     * fable (4.5, 5) is a controlled family, lyric and sonnet are not; two draft directives for
     * foreign persons (sonnet, and fable from fable-5); bogdan, an Indian national on an H-1B
     * verified at IAL2, with a person-bound API key. Returns the key's secret.
     */
    private static String loadData() {
        IdentityServiceGrpc.IdentityServiceBlockingStub people = IdentityServiceGrpc.newBlockingStub(channel(IDENTITY_GRPC))
                .withInterceptors(OPERATOR);
        people.createOrganisation(CreateOrganisationRequest.newBuilder().setOrganisationId("acme")
                .setOrganisation(Organisation.newBuilder().setDisplayName("Acme").setCountry("US")).build());
        people.createPerson(CreatePersonRequest.newBuilder().setPersonId("bogdan")
                .setPerson(Person.newBuilder().setDisplayName("Bogdan").setOrganisation("organisations/acme")).build());
        Instant now = Instant.now();
        Person bogdan = people.recordVerification(RecordVerificationRequest.newBuilder().setParent("persons/bogdan")
                .setVerification(Verification.newBuilder()
                        .addCitizenships(Citizenship.newBuilder().setCountry("IN"))
                        .setImmigrationStatus(ImmigrationStatus.IMMIGRATION_STATUS_H1B)
                        .setAssuranceLevel(AssuranceLevel.ASSURANCE_LEVEL_IAL2)
                        .setVerifyTime(timestamp(now.minusSeconds(86_400)))
                        .setExpireTime(timestamp(now.plusSeconds(365L * 86_400))))
                .build()).getPerson();
        assertEquals("US_PERSON_STATUS_FOREIGN_PERSON", bogdan.getUsPersonStatus().name());
        String secret = people.createApiKey(CreateApiKeyRequest.newBuilder()
                .setApiKey(ApiKey.newBuilder().setOwner("persons/bogdan").setDisplayName("bogdan's key")).build())
                .getSecret();

        family("fable", true, "fable-4.5", "fable-5");
        family("lyric", false, "lyric-3");
        family("sonnet", false, "sonnet-1");
        replicaA.createTier(CreateTierRequest.newBuilder().setTierId("pro").setTier(Tier.newBuilder()
                .addModelPatterns("fable-*").addModelPatterns("lyric-*").addModelPatterns("sonnet-*")).build());
        replicaA.createSubscription(CreateSubscriptionRequest.newBuilder().setSubscription(Subscription.newBuilder()
                .setOrganisation("organisations/acme").setTier("tiers/pro")).build());
        directive("d-sonnet", FamilyScope.newBuilder().setFamily("families/sonnet"));
        directive("d-fable5", FamilyScope.newBuilder().setFamily("families/fable").setFromVersion("fable-5"));
        return secret;
    }

    private static void family(String id, boolean controlled, String... versions) {
        replicaA.createModelFamily(CreateModelFamilyRequest.newBuilder().setFamilyId(id)
                .setFamily(ModelFamily.newBuilder().setDisplayName(id).setControlled(controlled)).build());
        for (String v : versions) {
            replicaA.createModelVersion(CreateModelVersionRequest.newBuilder().setParent("families/" + id)
                    .setVersionId(v).setVersion(ModelVersion.newBuilder()
                            .setStatus(ModelVersionStatus.MODEL_VERSION_STATUS_GA)).build());
        }
    }

    private static void directive(String id, FamilyScope.Builder scope) {
        replicaA.createDirective(CreateDirectiveRequest.newBuilder().setDirectiveId(id)
                .setDirective(Directive.newBuilder().setIssuer("BIS").setCitation("15 CFR 734.13")
                        .addScope(scope)
                        .setSubjects(DirectiveSubjects.newBuilder().setKind(SubjectKind.SUBJECT_KIND_FOREIGN_PERSONS)))
                .build());
    }

    // ------------------------------------------------------------------------------------------
    // The tests.

    @Test
    @Order(1)
    void aWriteThroughReplicaAReachesTheRouterWatchingReplicaB() {
        assertEquals(Outcome.OUTCOME_ALLOW, bogdanOnRouterB.explain("sonnet-1", true).getOutcome());

        EnforceDirectiveResponse enforced = replicaA.enforceDirective(EnforceDirectiveRequest.newBuilder()
                .setName("directives/d-sonnet").setReason("propagation test").setEmergency(true)
                .setPropagationTimeout(Duration.newBuilder().setSeconds(30)).build());
        long revision = enforced.getPolicyRevision();

        // EnforceDirective waited until every live router acknowledged, and says when each applied it.
        PropagationStatus propagation = enforced.getPropagation();
        assertTrue(propagation.getComplete(), () -> "both routers applied it: " + propagation);
        Map<String, RouterPropagation> byRouter = byRouter(propagation);
        assertEquals("entitlement-a", byRouter.get("router-a").getReplica());
        assertEquals("entitlement-b", byRouter.get("router-b").getReplica(),
                "router-b heard of a write made through replica A from replica B");
        for (String router : List.of("router-a", "router-b")) {
            RouterPropagation r = byRouter.get(router);
            assertTrue(r.getApplied() && r.getLive() && r.hasApplyTime(), () -> router + ": " + r);
            assertTrue(r.getLatestRevision() >= revision);
        }

        // Router-b decides with it.
        Decision decision = bogdanOnRouterB.explain("sonnet-1", true);
        assertEquals(Outcome.OUTCOME_DENY, decision.getOutcome());
        assertEquals(ReasonCode.REASON_CODE_DIRECTIVE, decision.getReasons(0).getCode());
        assertEquals("directives/d-sonnet", decision.getReasons(0).getDirective());
        assertTrue(decision.getPolicyRevision() >= revision);

        // Replica B answers the same from the shared database, with the same times.
        Map<String, RouterPropagation> fromB = byRouter(replicaB.getPropagationStatus(
                GetPropagationStatusRequest.newBuilder().setRevision(revision).build()).getStatus());
        for (String router : List.of("router-a", "router-b")) {
            assertTrue(fromB.get(router).getApplied());
            assertEquals(byRouter.get(router).getApplyTime(), fromB.get(router).getApplyTime());
        }
    }

    @Test
    @Order(2)
    void anOpenStreamIsCutWithPermissionDeniedWhenADirectiveLands() {
        // A slow stream: one character per chunk, 200 ms apart; 300 characters would take a minute.
        String prompt = "slow:" + "x".repeat(300);
        Iterator<StreamGenerateResponse> stream = bogdanOnRouterB.stub().withDeadlineAfter(AWAIT_SECONDS, TimeUnit.SECONDS)
                .streamGenerate(StreamGenerateRequest.newBuilder().setModel("fable-5").setPrompt(prompt)
                        .setForbidFallback(true).build());
        StreamGenerateResponse first = stream.next();
        assertEquals(Outcome.OUTCOME_ALLOW, first.getDecision().getOutcome(), "the stream starts allowed");
        assertEquals("fable-5", first.getDecision().getServedModel());
        assertTrue(stream.next().hasText(), "text is flowing");

        long revision = replicaA.enforceDirective(EnforceDirectiveRequest.newBuilder()
                .setName("directives/d-fable5").setReason("propagation test").setEmergency(true)
                .setPropagationTimeout(Duration.newBuilder().setSeconds(30)).build()).getPolicyRevision();
        assertTrue(revision > first.getDecision().getPolicyRevision());

        StringBuilder text = new StringBuilder();
        StatusRuntimeException cut = null;
        try {
            while (stream.hasNext()) {
                text.append(stream.next().getText());
            }
        } catch (StatusRuntimeException e) {
            cut = e;
        }
        if (cut == null) {
            fail("the stream ran to its end (" + text.length() + " more characters) instead of being cut");
        }
        assertEquals(Status.Code.PERMISSION_DENIED, cut.getStatus().getCode(), cut.getStatus().toString());
        ErrorInfo info = ApiError.errorInfo(cut).orElseThrow();
        assertEquals("ACCESS_DENIED", info.getReason());
        assertEquals("router.clearance.dev", info.getDomain());
        assertEquals("DIRECTIVE", info.getMetadataOrThrow("reason_code"));
        assertEquals("directives/d-fable5", info.getMetadataOrThrow("directive"));
        assertEquals("15 CFR 734.13", info.getMetadataOrThrow("citation"));
        assertEquals("fable-5", info.getMetadataOrThrow("model"));
        assertTrue(text.length() < 300, "cut before the end");
    }

    @Test
    @Order(3)
    void aRouterWhoseReplicaIsKilledReconnectsToTheOtherAndFollowsItsWrites() throws Exception {
        long current = replicaA.getPolicySnapshot(GetPolicySnapshotRequest.getDefaultInstance()).getSnapshot()
                .getRevision();
        String watched = byRouter(awaitStatus(replicaA, current, s -> applied(s, "router-c"),
                "router-c holds the current revision")).get("router-c").getReplica();
        boolean onA = watched.equals("entitlement-a");
        assertTrue(onA || watched.equals("entitlement-b"), watched);
        ServiceProcess victim = onA ? entitlementA : entitlementB;
        EntitlementServiceGrpc.EntitlementServiceBlockingStub survivor = onA ? replicaB : replicaA;
        String survivorName = onA ? "entitlement-b" : "entitlement-a";

        victim.kill();
        // A write through the survivor: router-c can only learn of it from the survivor.
        survivor.createModelFamily(CreateModelFamilyRequest.newBuilder().setFamilyId("verse")
                .setFamily(ModelFamily.newBuilder().setDisplayName("verse")).build());
        long revision = survivor.getPolicySnapshot(GetPolicySnapshotRequest.getDefaultInstance()).getSnapshot()
                .getRevision();
        RouterPropagation c = byRouter(awaitStatus(survivor, revision, s -> applied(s, "router-c"),
                "router-c reconnects to " + survivorName + " and applies revision " + revision)).get("router-c");
        assertEquals(survivorName, c.getReplica(), c.toString());
        Decision decision = await(() -> bogdanOnRouterC.explain("fable-4.5", true),
                d -> d.getPolicyRevision() >= revision, "router-c decides with revision " + revision);
        assertEquals(Outcome.OUTCOME_ALLOW, decision.getOutcome());
        assertFalse(policyHealth(routerC).path("stale").asBoolean(true), "fresh again on the survivor");

        // Back to both replicas: the router that had only the victim reconnects to it, fresh again.
        victim.start();
        for (RouterClient router : List.of(bogdanOnRouterA, bogdanOnRouterB)) {
            await(() -> router.explain("fable-4.5", true), d -> d.getOutcome() == Outcome.OUTCOME_ALLOW,
                    "routers a and b are fresh again once " + watched + " is back");
        }
    }

    @Test
    @Order(4)
    void aStaleRouterRefusesControlledModelsWithPolicyStaleAndRecovers() throws Exception {
        assertEquals(Outcome.OUTCOME_ALLOW, bogdanOnRouterA.explain("fable-4.5", true).getOutcome());
        assertFalse(policyHealth(routerA).path("stale").asBoolean(true));

        entitlementA.stop();
        entitlementB.stop();

        Decision stale = await(() -> bogdanOnRouterA.explain("fable-4.5", true),
                d -> d.getReasonsCount() > 0 && d.getReasons(0).getCode() == ReasonCode.REASON_CODE_POLICY_STALE,
                "router-a turns stale once nothing was heard for " + STALENESS_BOUND);
        assertEquals(Outcome.OUTCOME_DENY, stale.getOutcome());
        JsonNode health = policyHealth(routerA);
        assertTrue(health.path("stale").asBoolean(), health.toString());
        // Stale means more than the bound in nanoseconds; in whole milliseconds that can read exactly the bound.
        assertTrue(health.path("last_heard_ms").asLong() >= 3000, health.toString());
        // Uncontrolled models are still served.
        GenerateResponse lyric = bogdanOnRouterA.generate("lyric-3", true);
        assertEquals("lyric-3", lyric.getServedModel());
        assertTrue(lyric.getOutput().startsWith("[lyric-3] echo: "));

        entitlementA.start();
        Decision recovered = await(() -> bogdanOnRouterA.explain("fable-4.5", true),
                d -> d.getOutcome() == Outcome.OUTCOME_ALLOW, "router-a recovers once replica A is back");
        assertEquals("fable-4.5", recovered.getServedModel());
        assertFalse(policyHealth(routerA).path("stale").asBoolean(true));
    }

    @Test
    @Order(5)
    void aRouterRestartedWhileTheControlPlaneIsDownServesFromItsSnapshotFile() throws Exception {
        long held = policyHealth(routerA).path("revision").asLong();
        assertTrue(Files.isRegularFile(runDirectory.resolve("router-a/policy-snapshot.pb")));
        entitlementA.stop();
        entitlementB.stop();
        routerA.stop();

        routerA.start();    // ready: it holds the snapshot from disk
        JsonNode health = policyHealth(routerA);
        assertEquals("DISK", health.path("source").asText(), health.toString());
        assertTrue(health.path("stale").asBoolean(), "stale until the control plane confirms it");
        assertEquals(held, health.path("revision").asLong());

        Decision fable = bogdanOnRouterA.explain("fable-4.5", true);
        assertEquals(Outcome.OUTCOME_DENY, fable.getOutcome());
        assertEquals(ReasonCode.REASON_CODE_POLICY_STALE, fable.getReasons(0).getCode());
        GenerateResponse lyric = bogdanOnRouterA.generate("lyric-3", true);
        assertEquals("lyric-3", lyric.getServedModel(), "uncontrolled models are served from the disk snapshot");
        // The directives in the file still count: sonnet is under one, so it is controlled now.
        assertEquals(ReasonCode.REASON_CODE_POLICY_STALE,
                bogdanOnRouterA.explain("sonnet-1", true).getReasons(0).getCode());
    }

    @Test
    @Order(6)
    void withPostgresGoneWritesAreUnavailableAndRoutersKeepTheirSnapshotThenFailClosed() throws Exception {
        assumeTrue(embedded != null, "stops the database: only with the embedded PostgreSQL this test started,"
                + " never a server named by CLEARANCE_DB_URL");
        entitlementA.start();
        Decision fresh = await(() -> bogdanOnRouterA.explain("fable-4.5", true),
                d -> d.getOutcome() == Outcome.OUTCOME_ALLOW, "router-a is fresh on replica A");
        long held = fresh.getPolicyRevision();

        embedded.stop();

        StatusRuntimeException refused = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> replicaA.createModelFamily(CreateModelFamilyRequest.newBuilder().setFamilyId("prose")
                        .setFamily(ModelFamily.newBuilder().setDisplayName("prose")).build()));
        assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode(), refused.getStatus().toString());
        ErrorInfo info = ApiError.errorInfo(refused).orElseThrow();
        assertEquals("STORAGE_UNAVAILABLE", info.getReason());
        assertFalse(refused.getStatus().getDescription().toLowerCase().contains("sql"),
                refused.getStatus().getDescription());
        // A directive step writes on a pool connection of its own (pipelined), and fails the same way.
        StatusRuntimeException step = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> replicaA.revokeDirective(RevokeDirectiveRequest.newBuilder().setName("directives/prose")
                        .setReason("the database is gone").build()));
        assertEquals(Status.Code.UNAVAILABLE, step.getStatus().getCode(), step.getStatus().toString());
        assertEquals("STORAGE_UNAVAILABLE", ApiError.errorInfo(step).orElseThrow().getReason());

        // The replica can no longer vouch for its snapshot, so it stops heartbeating; the router keeps
        // what it holds and, past its bound, refuses controlled models while serving the rest.
        Decision stale = await(() -> bogdanOnRouterA.explain("fable-4.5", true),
                d -> d.getReasonsCount() > 0 && d.getReasons(0).getCode() == ReasonCode.REASON_CODE_POLICY_STALE,
                "router-a turns stale once replica A stops vouching");
        assertEquals(Outcome.OUTCOME_DENY, stale.getOutcome());
        assertEquals(held, stale.getPolicyRevision(), "still deciding with the snapshot it held");
        assertEquals("lyric-3", bogdanOnRouterA.generate("lyric-3", true).getServedModel());
    }

    // ------------------------------------------------------------------------------------------
    // Helpers.

    private static boolean applied(PropagationStatus status, String router) {
        RouterPropagation r = byRouter(status).get(router);
        return r != null && r.getApplied();
    }

    private static Map<String, RouterPropagation> byRouter(PropagationStatus status) {
        return status.getRoutersList().stream()
                .collect(Collectors.toMap(RouterPropagation::getRouterId, Function.identity()));
    }

    private static PropagationStatus awaitStatus(EntitlementServiceGrpc.EntitlementServiceBlockingStub replica,
                                                 long revision, Predicate<PropagationStatus> done, String what) {
        return await(() -> replica.getPropagationStatus(GetPropagationStatusRequest.newBuilder()
                .setRevision(revision).build()).getStatus(), done, what);
    }

    /** Polls {@code read} until {@code done} holds (bounded); calls that fail meanwhile are retried. */
    private static <T> T await(Supplier<T> read, Predicate<T> done, String what) {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS);
        Object last = null;
        while (System.nanoTime() < giveUp) {
            try {
                T value = read.get();
                if (done.test(value)) {
                    return value;
                }
                last = value;
            } catch (StatusRuntimeException e) {
                last = e.getStatus();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("gave up waiting: " + what + "; last seen: " + last);
    }

    /** The data of the router's {@code policy} readiness check. */
    private static JsonNode policyHealth(ServiceProcess router) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + router.httpPort() + "/q/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        for (JsonNode check : JSON.readTree(response.body()).path("checks")) {
            if (check.path("name").asText().equals("policy")) {
                return check.path("data");
            }
        }
        throw new AssertionError("no policy check in " + response.body());
    }

    private static ManagedChannel channel(int port) {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", port).usePlaintext().build();
        channels.add(channel);
        return channel;
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void inParallel(Runnable... tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.length);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Runnable task : tasks) {
                futures.add(pool.submit(task));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
