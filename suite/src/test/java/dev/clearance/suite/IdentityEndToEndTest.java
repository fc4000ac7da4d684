package dev.clearance.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Timestamp;
import com.google.rpc.ErrorInfo;
import dev.clearance.api.ApiError;
import dev.clearance.common.v1.AssuranceLevel;
import dev.clearance.common.v1.CallerIdentity;
import dev.clearance.common.v1.Change;
import dev.clearance.identity.v1.ListChangesRequest;
import dev.clearance.identity.v1.Citizenship;
import dev.clearance.identity.v1.CreatePersonRequest;
import dev.clearance.identity.v1.GetOrganisationRequest;
import dev.clearance.identity.v1.GetPersonRequest;
import dev.clearance.identity.v1.IdentityServiceGrpc;
import dev.clearance.identity.v1.ImmigrationStatus;
import dev.clearance.identity.v1.KeycloakSyncAction;
import dev.clearance.identity.v1.KeycloakSyncChange;
import dev.clearance.identity.v1.KeycloakSyncRun;
import dev.clearance.identity.v1.Person;
import dev.clearance.identity.v1.RecordVerificationRequest;
import dev.clearance.identity.v1.ResolveCallerRequest;
import dev.clearance.identity.v1.RevokeVerificationRequest;
import dev.clearance.identity.v1.SyncKeycloakRequest;
import dev.clearance.identity.v1.Verification;
import dev.clearance.common.v1.Decision;
import dev.clearance.common.v1.Outcome;
import dev.clearance.common.v1.ReasonCode;
import dev.clearance.entitlement.v1.CitizenshipMode;
import dev.clearance.entitlement.v1.CreateDirectiveRequest;
import dev.clearance.entitlement.v1.CreateModelFamilyRequest;
import dev.clearance.entitlement.v1.CreateModelVersionRequest;
import dev.clearance.entitlement.v1.CreateSubscriptionRequest;
import dev.clearance.entitlement.v1.CreateTierRequest;
import dev.clearance.entitlement.v1.Directive;
import dev.clearance.entitlement.v1.DirectiveSubjects;
import dev.clearance.entitlement.v1.EnforceDirectiveRequest;
import dev.clearance.entitlement.v1.EntitlementServiceGrpc;
import dev.clearance.entitlement.v1.FamilyScope;
import dev.clearance.entitlement.v1.ModelFamily;
import dev.clearance.entitlement.v1.ModelVersion;
import dev.clearance.entitlement.v1.ModelVersionStatus;
import dev.clearance.entitlement.v1.SubjectKind;
import dev.clearance.entitlement.v1.Subscription;
import dev.clearance.entitlement.v1.Tier;
import dev.clearance.testing.geoip.CityTestDatabase;
import dev.clearance.identity.v1.ApiKey;
import dev.clearance.identity.v1.CreateApiKeyRequest;
import dev.clearance.identity.v1.CreateOrganisationRequest;
import dev.clearance.identity.v1.DocumentClass;
import dev.clearance.identity.v1.ListScreeningMatchesRequest;
import dev.clearance.identity.v1.Organisation;
import dev.clearance.identity.v1.ResolveScreeningMatchRequest;
import dev.clearance.identity.v1.ScreeningMatch;
import dev.clearance.identity.v1.ScreeningResolution;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 3 end to end, on the whole suite as separate processes: the Keycloak sync against the
 * real Keycloak distribution (users and Organizations imported and kept in step, sessions ended
 * on a more restrictive status, Keycloak down); the identity table through the router's gRPC API
 * (evidence, screening, organisation key, location from the connection or a trusted proxy's
 * X-Forwarded-For, with MaxMind's test databases); and the time from revoking evidence to the
 * router denying (printed, and written to {@code suite/target/logs/identity-e2e/revoke-to-deny.txt}).
 *
 * <p>The router trusts X-Forwarded-For only from the loopback addresses; the untrusted case
 * reaches it through this machine's first non-loopback address.
 *
 * <p>Ports: the defaults plus 12000 (gRPC 21100-21102, HTTP 20100-20102, Keycloak 20180 and
 * management 21180), used by no other test and below the kernel's ephemeral range (32768-60999),
 * whose ports any socket bound to port 0 may hold. Keycloak keeps its data between runs (see
 * {@link KeycloakServer}), so every Keycloak object made here carries this run's suffix.
 * Nothing is timed: waits are bounded polls for a state.
 * Run alone: {@code mvn -B -o -pl suite verify -Dtest=IdentityEndToEndTest} (services built first).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IdentityEndToEndTest {

    static final SuitePorts PORTS = SuitePorts.defaults().offsetBy(12000);
    /** The shipped realm's demo secret of the identity-service service account. */
    private static final String SYNC_SECRET = "clearance-identity-sync-demo-secret";
    /** Holds clearance-admin (persons, keys, catalogue, SyncKeycloak) and clearance-compliance (evidence, directives). */
    private static final String OFFICER = "officer";
    /** Bounds a broken test; never measures anything. */
    private static final long AWAIT_SECONDS = 120;

    private static Suite suite;
    private static String run;
    private static ManagedChannel identityChannel;
    private static ManagedChannel entitlementChannel;
    private static ManagedChannel routerChannel;
    private static ManagedChannel untrustedChannel;
    private static KeycloakAdminApi keycloak;
    private static IdentityServiceGrpc.IdentityServiceBlockingStub identity;

    // what the sync tests created in Keycloak
    private static String globexId;
    private static String zoeId;

    @BeforeAll
    static void startSuite() {
        run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
        SuiteConfig config = SuiteConfig.forEndToEnd(PORTS, "identity-e2e")
                .withServiceProperty(SuiteConfig.IDENTITY, "clearance.keycloak.admin.client-secret", SYNC_SECRET)
                // Only on-demand runs, except the retries after a failure (fast here).
                .withServiceProperty(SuiteConfig.IDENTITY, "clearance.keycloak.sync.initial-delay", "1h")
                .withServiceProperty(SuiteConfig.IDENTITY, "clearance.keycloak.sync.interval", "1h")
                .withServiceProperty(SuiteConfig.IDENTITY, "clearance.keycloak.sync.min-backoff", "500ms")
                .withServiceProperty(SuiteConfig.IDENTITY, "clearance.keycloak.sync.max-backoff", "2s");
        config = config
                // A City database (generated: MaxMind ships none with subdivisions) so regions are seen too.
                .withServiceProperty(SuiteConfig.ROUTER, "clearance.router.geoip.country-db",
                        CityTestDatabase.writeTemporary().toString())
                .withServiceProperty(SuiteConfig.ROUTER, "clearance.router.geoip.anonymous-db",
                        geoip("GeoIP2-Anonymous-IP-Test.mmdb"))
                .withServiceProperty(SuiteConfig.ROUTER, "clearance.router.trusted-proxies", "127.0.0.1/32,::1/128");
        suite = Suite.start(config);
        System.out.printf("suite started in %.1f s:%n%s", Suite.seconds(suite.startDuration()), suite.describe());
        identityChannel = ScenarioLoader.channel("localhost:" + suite.identity().grpcPort());
        keycloak = new KeycloakAdminApi(suite.keycloak().baseUrl());
        identity = IdentityServiceGrpc.newBlockingStub(identityChannel)
                .withInterceptors(CallerCredentials.admin(IdentityEndToEndTest::officerToken));
        entitlementChannel = ScenarioLoader.channel("localhost:" + suite.entitlement().grpcPort());
        routerChannel = ScenarioLoader.channel("localhost:" + suite.router().grpcPort());
    }

    private static String geoip(String file) {
        try {
            return Path.of(IdentityEndToEndTest.class.getResource("/geoip/" + file).toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stopSuite() throws InterruptedException {
        for (ManagedChannel c : new ManagedChannel[] {identityChannel, entitlementChannel, routerChannel, untrustedChannel}) {
            if (c != null) {
                c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        if (suite != null) {
            suite.stop();
        }
    }

    private static String officerToken;
    private static long officerTokenTime;

    /** Reused for three minutes (tokens live five): admin calls keep working while Keycloak is stopped. */
    private static synchronized String officerToken() {
        if (officerToken == null || System.nanoTime() - officerTokenTime > TimeUnit.SECONDS.toNanos(180)) {
            officerToken = suite.keycloak().tokens().accessToken(OFFICER);
            officerTokenTime = System.nanoTime();
        }
        return officerToken;
    }

    private static IdentityServiceGrpc.IdentityServiceBlockingStub identity() {
        return identity.withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    // ---- Keycloak sync ------------------------------------------------------------------------

    @Test
    @Order(1)
    void theSyncImportsKeycloakUsersAndOrganizations() {
        globexId = keycloak.createOrganization("globex-" + run, "Globex " + run, "US");
        String nolandId = keycloak.createOrganization("noland-" + run, "Noland " + run, null);
        zoeId = keycloak.createUser("zoe-" + run, "Zoe", "Zimmer");
        keycloak.addMember(globexId, zoeId);

        KeycloakSyncRun report = sync();
        System.out.println("first sync: " + report);
        assertChange(report, "organisations/globex-" + run, KeycloakSyncAction.KEYCLOAK_SYNC_ACTION_CREATED, globexId);
        assertChange(report, "persons/zoe-" + run, KeycloakSyncAction.KEYCLOAK_SYNC_ACTION_CREATED,
                "organisation globex-" + run);
        assertTrue(report.getProblemsList().stream().anyMatch(p -> p.contains(nolandId) && p.contains("country")),
                () -> "the Organization without a country is reported, not imported: " + report.getProblemsList());
        assertThrows(StatusRuntimeException.class, () -> identity().getOrganisation(GetOrganisationRequest.newBuilder()
                .setName("organisations/noland-" + run).build()));

        Person zoe = identity().getPerson(GetPersonRequest.newBuilder().setName("persons/zoe-" + run).build()).getPerson();
        assertEquals(zoeId, zoe.getSubject(), "linked by subject = Keycloak user id");
        assertEquals("organisations/globex-" + run, zoe.getOrganisation());
        assertEquals("Zoe Zimmer", zoe.getDisplayName());
        assertEquals("US", identity().getOrganisation(GetOrganisationRequest.newBuilder()
                .setName("organisations/globex-" + run).build()).getOrganisation().getCountry());
        // The shipped realm's users come along (the demo users have fixed ids).
        Person alice = identity().getPerson(GetPersonRequest.newBuilder().setName("persons/alice").build()).getPerson();
        assertEquals("c1ea0000-0000-4000-8000-00000000a11c", alice.getSubject());
        assertEquals("Alice Anders", alice.getDisplayName());

        // The sync's writes are in the change log: one row per resource, by the sync, in its transaction.
        List<Change> zoeCreated = syncChanges("persons/zoe-" + run);
        assertEquals(1, zoeCreated.size(), zoeCreated::toString);
        assertEquals("CREATE", zoeCreated.get(0).getAction());
        assertEquals("", zoeCreated.get(0).getBefore());
        assertTrue(zoeCreated.get(0).getAfter().contains(zoeId)
                && zoeCreated.get(0).getAfter().contains("organisations/globex-" + run), zoeCreated.get(0).getAfter());
        assertTrue(zoeCreated.get(0).getReason().startsWith("Keycloak sync: created from Keycloak user " + zoeId),
                zoeCreated.get(0).getReason());
        List<Change> globexCreated = syncChanges("organisations/globex-" + run);
        assertEquals(List.of("CREATE"), globexCreated.stream().map(Change::getAction).toList());
        assertEquals(List.of(), syncChanges("organisations/noland-" + run), "not imported, not logged");
    }

    /** The Keycloak sync's change-log rows about one resource, newest first. */
    private static List<Change> syncChanges(String resource) {
        return identity().listChanges(ListChangesRequest.newBuilder().setActor("system:keycloak-sync")
                .setResource(resource).build()).getChangesList();
    }

    @Test
    @Order(2)
    void aSecondSyncChangesNothing() {
        KeycloakSyncRun again = sync();
        assertEquals(List.of(), again.getChangesList(), "idempotent");
        assertEquals(1, syncChanges("persons/zoe-" + run).size(), "a run that changes nothing logs nothing");
        assertTrue(again.getUsersSeen() >= 2 && again.getOrganisationsSeen() >= 2, again::toString);
    }

    @Test
    @Order(3)
    void renamesAndNewUsersFollowKeycloakAndAnUnlinkedPersonIsLinkedByUsername() {
        identity().createPerson(CreatePersonRequest.newBuilder().setPersonId("yuri-" + run)
                .setPerson(Person.newBuilder().setDisplayName("Yuri (created by an admin)")).build());
        String yuriId = keycloak.createUser("yuri-" + run, "Yuri", "Young");
        keycloak.updateUser(zoeId, Map.of("firstName", "Zoe", "lastName", "Zed"));

        KeycloakSyncRun report = sync();
        assertChange(report, "persons/yuri-" + run, KeycloakSyncAction.KEYCLOAK_SYNC_ACTION_LINKED, yuriId);
        assertChange(report, "persons/zoe-" + run, KeycloakSyncAction.KEYCLOAK_SYNC_ACTION_UPDATED,
                "\"Zoe Zimmer\" -> \"Zoe Zed\"");
        Person yuri = identity().getPerson(GetPersonRequest.newBuilder().setName("persons/yuri-" + run).build()).getPerson();
        assertEquals(yuriId, yuri.getSubject());
        assertEquals("Yuri Young", yuri.getDisplayName());
        // linked and renamed in one run: one row with both notes
        List<Change> yuriChanged = syncChanges("persons/yuri-" + run);
        assertEquals(1, yuriChanged.size(), yuriChanged::toString);
        assertEquals("UPDATE", yuriChanged.get(0).getAction());
        assertTrue(!yuriChanged.get(0).getBefore().contains(yuriId) && yuriChanged.get(0).getAfter().contains(yuriId),
                yuriChanged.get(0)::toString);
        assertTrue(yuriChanged.get(0).getReason().contains("linked to Keycloak user " + yuriId)
                && yuriChanged.get(0).getReason().contains("Yuri Young"), yuriChanged.get(0).getReason());
        List<Change> zoeChanged = syncChanges("persons/zoe-" + run);
        assertEquals(List.of("UPDATE", "CREATE"), zoeChanged.stream().map(Change::getAction).toList());
        assertTrue(zoeChanged.get(0).getBefore().contains("Zoe Zimmer") && zoeChanged.get(0).getAfter().contains("Zoe Zed"),
                zoeChanged.get(0)::toString);
        assertEquals(List.of(), sync().getChangesList());
        assertEquals(2, syncChanges("persons/zoe-" + run).size());
    }

    @Test
    @Order(4)
    void revokingEvidenceEndsTheUsersKeycloakSessions() {
        suite.keycloak().tokens().accessToken(TokenClient.CLI_CLIENT, "zoe-" + run, TokenClient.DEMO_PASSWORD);
        assertTrue(keycloak.sessionCount(zoeId) > 0, "logging in opened a session");
        Instant now = Instant.now();
        Verification passport = identity().recordVerification(RecordVerificationRequest.newBuilder()
                .setParent("persons/zoe-" + run)
                .setVerification(Verification.newBuilder()
                        .addCitizenships(Citizenship.newBuilder().setCountry("US"))
                        .setImmigrationStatus(ImmigrationStatus.IMMIGRATION_STATUS_NONE)
                        .setAssuranceLevel(AssuranceLevel.ASSURANCE_LEVEL_IAL2)
                        .setVerifyTime(timestamp(now.minusSeconds(3600)))
                        .setExpireTime(timestamp(now.plusSeconds(365L * 86_400))))
                .build()).getVerification();
        assertTrue(keycloak.sessionCount(zoeId) > 0, "recording evidence (less restrictive) keeps the session");

        identity().revokeVerification(RevokeVerificationRequest.newBuilder().setName(passport.getName())
                .setReason("document reported stolen").build());
        await(() -> keycloak.sessionCount(zoeId), n -> n == 0, "zoe's Keycloak sessions ended after the revocation");
    }

    @Test
    @Order(5)
    void withKeycloakDownKnownPersonsResolveTheSyncFailsAndHealthSaysSoUntilItRecovers() throws Exception {
        String token = suite.keycloak().tokens().accessToken(TokenClient.CLI_CLIENT, "zoe-" + run,
                TokenClient.DEMO_PASSWORD);
        assertEquals("persons/zoe-" + run, resolve(token).getPerson(), "the realm keys are cached now");
        JsonNode before = keycloakSyncHealth();
        assertEquals("ok", before.path("data").path("status").asText(), before.toString());

        suite.keycloak().stop();
        try {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, IdentityEndToEndTest::sync);
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
            ErrorInfo info = ApiError.errorInfo(e).orElseThrow();
            assertEquals("KEYCLOAK_UNAVAILABLE", info.getReason());

            JsonNode failing = keycloakSyncHealth();
            assertEquals("UP", failing.path("status").asText(), "a failing sync never takes the service down");
            assertTrue(failing.path("data").path("status").asText().startsWith("keycloak sync failing since "),
                    failing.toString());
            assertEquals(200, readinessStatus(), "still ready");
            // Known persons resolve: by token (cached keys) and by subject.
            assertEquals("persons/zoe-" + run, resolve(token).getPerson());
            assertEquals("persons/zoe-" + run, identity().resolveCaller(ResolveCallerRequest.newBuilder()
                    .setSubject("persons/zoe-" + run).build()).getCaller().getPerson());
        } finally {
            suite.keycloak().start();
        }
        // Nobody asks for a sync: the retries with backoff bring it back.
        JsonNode recovered = await(IdentityEndToEndTest::keycloakSyncHealth,
                h -> "ok".equals(h.path("data").path("status").asText()), "the sync retried and recovered");
        assertTrue(recovered.path("data").has("last_success"), recovered.toString());
    }


    // ---- the identity table through the router --------------------------------------------------

    /** Families: fable (controlled; fable-5 under a foreign-persons directive), mythos (controlled;
     *  nationals of CN by most recent citizenship), lyric (uncontrolled). */
    private static void loadPolicy() {
        var entitlement = EntitlementServiceGrpc.newBlockingStub(entitlementChannel)
                .withInterceptors(CallerCredentials.admin(IdentityEndToEndTest::officerToken))
                .withDeadlineAfter(60, TimeUnit.SECONDS);
        family(entitlement, "fable", true, "fable-4", "fable-5");
        family(entitlement, "mythos", true, "mythos-1");
        family(entitlement, "lyric", false, "lyric-3");
        entitlement.createTier(CreateTierRequest.newBuilder().setTierId("all").setTier(Tier.newBuilder()
                .addModelPatterns("fable-*").addModelPatterns("mythos-*").addModelPatterns("lyric-*")).build());
        identity().createOrganisation(CreateOrganisationRequest.newBuilder().setOrganisationId("table-org")
                .setOrganisation(Organisation.newBuilder().setDisplayName("Table Test Inc").setCountry("US")).build());
        entitlement.createSubscription(CreateSubscriptionRequest.newBuilder().setSubscription(Subscription.newBuilder()
                .setOrganisation("organisations/table-org").setTier("tiers/all")).build());
        entitlement.createDirective(CreateDirectiveRequest.newBuilder().setDirectiveId("d-fable5")
                .setDirective(Directive.newBuilder().setIssuer("BIS").setCitation("15 CFR 734.13")
                        .addScope(FamilyScope.newBuilder().setFamily("families/fable").setFromVersion("fable-5"))
                        .setSubjects(DirectiveSubjects.newBuilder().setKind(SubjectKind.SUBJECT_KIND_FOREIGN_PERSONS)))
                .build());
        entitlement.createDirective(CreateDirectiveRequest.newBuilder().setDirectiveId("d-mythos-cn")
                .setDirective(Directive.newBuilder().setIssuer("BIS").setCitation("15 CFR 744.21")
                        .addScope(FamilyScope.newBuilder().setFamily("families/mythos"))
                        .setSubjects(DirectiveSubjects.newBuilder().setKind(SubjectKind.SUBJECT_KIND_NATIONALS_OF)
                                .addCountries("CN").setCitizenshipMode(CitizenshipMode.CITIZENSHIP_MODE_MOST_RECENT)))
                .build());
        // Emergency enforcement: in force at once on one officer's word (the two-person rule's approval
        // is not what this class tests; ScenarioEndToEndTest does).
        for (String d : List.of("directives/d-fable5", "directives/d-mythos-cn")) {
            entitlement.enforceDirective(EnforceDirectiveRequest.newBuilder().setName(d).setReason("identity table")
                    .setEmergency(true)
                    .setPropagationTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(30)).build());
        }
    }

    private static void family(EntitlementServiceGrpc.EntitlementServiceBlockingStub entitlement, String id,
                               boolean controlled, String... versions) {
        entitlement.createModelFamily(CreateModelFamilyRequest.newBuilder().setFamilyId(id)
                .setFamily(ModelFamily.newBuilder().setDisplayName(id).setControlled(controlled)).build());
        for (String v : versions) {
            entitlement.createModelVersion(CreateModelVersionRequest.newBuilder().setParent("families/" + id)
                    .setVersionId(v).setVersion(ModelVersion.newBuilder()
                            .setStatus(ModelVersionStatus.MODEL_VERSION_STATUS_GA)).build());
        }
    }

    /** A person in table-org with a person-bound API key; returns the key's secret. */
    private static String personWithKey(String id, String displayName, Verification.Builder... evidence) {
        identity().createPerson(CreatePersonRequest.newBuilder().setPersonId(id).setPerson(Person.newBuilder()
                .setDisplayName(displayName).setOrganisation("organisations/table-org")).build());
        for (Verification.Builder v : evidence) {
            identity().recordVerification(RecordVerificationRequest.newBuilder().setParent("persons/" + id)
                    .setVerification(v).build());
        }
        return identity().createApiKey(CreateApiKeyRequest.newBuilder().setApiKey(ApiKey.newBuilder()
                .setOwner("persons/" + id).setDisplayName(id)).build()).getSecret();
    }

    private static Verification.Builder evidence(ImmigrationStatus immigration, Citizenship... citizenships) {
        Instant now = Instant.now();
        return Verification.newBuilder().addAllCitizenships(List.of(citizenships)).setImmigrationStatus(immigration)
                .setAssuranceLevel(AssuranceLevel.ASSURANCE_LEVEL_IAL2)
                .setVerifyTime(timestamp(now.minusSeconds(3600)))
                .setExpireTime(timestamp(now.plusSeconds(365L * 86_400)));
    }

    private static Verification.Builder expired(Verification.Builder v) {
        Instant now = Instant.now();
        return v.setVerifyTime(timestamp(now.minusSeconds(2L * 365 * 86_400)))
                .setExpireTime(timestamp(now.minusSeconds(86_400)));
    }

    private static Citizenship birth(String country) {
        return Citizenship.newBuilder().setCountry(country).build();
    }

    private static Citizenship acquired(String country, String date) {
        return Citizenship.newBuilder().setCountry(country).setAcquireDate(date).build();
    }

    /** One row: who asks (an API key secret), for which model, from where, and what the router must answer. */
    private record Row(String name, String secret, String model, String forwardedFor, boolean untrustedPeer,
                       Outcome outcome, ReasonCode reason, Predicate<Decision> also, String alsoSays) {
    }

    private static Row row(String name, String secret, String model, Outcome outcome, ReasonCode reason) {
        return new Row(name, secret, model, null, false, outcome, reason, d -> true, "");
    }

    private static final Outcome ALLOW = Outcome.OUTCOME_ALLOW;
    private static final Outcome DENY = Outcome.OUTCOME_DENY;

    @Test
    @Order(10)
    void theIdentityTableThroughTheRouter() {
        loadPolicy();
        String usCitizen = personWithKey("t-us-citizen", "Ursula Citizen", evidence(ImmigrationStatus.IMMIGRATION_STATUS_NONE, birth("US")));
        String revokedSecret = personWithKey("t-revoked", "Rhea Revoked");
        Verification passport = identity().recordVerification(RecordVerificationRequest.newBuilder()
                .setParent("persons/t-revoked").setVerification(evidence(ImmigrationStatus.IMMIGRATION_STATUS_NONE,
                        birth("US")).setDocumentClass(DocumentClass.DOCUMENT_CLASS_PASSPORT).setIssuingCountry("US"))
                .build()).getVerification();
        identity().revokeVerification(RevokeVerificationRequest.newBuilder().setName(passport.getName())
                .setReason("document reported stolen").build());
        String nearMiss = personWithKey("t-near-miss", "Anatoli Petrovsky", evidence(ImmigrationStatus.IMMIGRATION_STATUS_NONE, birth("US")));
        String hit = personWithKey("t-hit", "Soraya Qaderi-Vance", evidence(ImmigrationStatus.IMMIGRATION_STATUS_NONE, birth("US")));
        for (ScreeningMatch m : identity().listScreeningMatches(ListScreeningMatchesRequest.newBuilder()
                .setSubject("persons/t-hit").build()).getScreeningMatchesList()) {
            identity().resolveScreeningMatch(ResolveScreeningMatchRequest.newBuilder().setName(m.getName())
                    .setResolution(ScreeningResolution.SCREENING_RESOLUTION_CONFIRM).setReason("same person").build());
        }
        String orgKey = identity().createApiKey(CreateApiKeyRequest.newBuilder().setApiKey(ApiKey.newBuilder()
                .setOwner("organisations/table-org").setDisplayName("batch")).build()).getSecret();

        List<Row> rows = new ArrayList<>(List.of(
                // the vertical slice's eleven
                row("US citizen", usCitizen, "fable-5", ALLOW, ReasonCode.REASON_CODE_ENTITLED),
                row("dual US + foreign: US wins", personWithKey("t-dual-us", "Dual Us",
                        evidence(ImmigrationStatus.IMMIGRATION_STATUS_NONE, birth("US"), birth("FR"))), "fable-5", ALLOW,
                        ReasonCode.REASON_CODE_ENTITLED),
                row("lawful permanent resident", personWithKey("t-lpr", "Lena Resident",
                        evidence(ImmigrationStatus.IMMIGRATION_STATUS_LAWFUL_PERMANENT_RESIDENT, birth("CN"))), "fable-5",
                        ALLOW, ReasonCode.REASON_CODE_ENTITLED),
                row("asylee", personWithKey("t-asylee", "Amir Asylee",
                        evidence(ImmigrationStatus.IMMIGRATION_STATUS_ASYLEE, birth("AF"))), "fable-5", ALLOW,
                        ReasonCode.REASON_CODE_ENTITLED),
                row("refugee", personWithKey("t-refugee", "Rana Refugee",
                        evidence(ImmigrationStatus.IMMIGRATION_STATUS_REFUGEE, birth("SY"))), "fable-5", ALLOW,
                        ReasonCode.REASON_CODE_ENTITLED),
                row("H-1B: deemed export", personWithKey("t-h1b", "Harish Visa",
                        evidence(ImmigrationStatus.IMMIGRATION_STATUS_H1B, birth("IN"))), "fable-5", DENY,
                        ReasonCode.REASON_CODE_DIRECTIVE),
                row("student visa", personWithKey("t-student", "Shu Student",
                        evidence(ImmigrationStatus.IMMIGRATION_STATUS_STUDENT, birth("CN"))), "fable-5", DENY,
                        ReasonCode.REASON_CODE_DIRECTIVE),
                row("adjustment of status pending is not LPR", personWithKey("t-adjusting", "Ada Pending",
                        evidence(ImmigrationStatus.IMMIGRATION_STATUS_ADJUSTMENT_PENDING, birth("IN"))), "fable-5", DENY,
                        ReasonCode.REASON_CODE_DIRECTIVE),
                row("naturalised citizen born abroad", personWithKey("t-naturalised", "Nia Naturalised",
                        evidence(ImmigrationStatus.IMMIGRATION_STATUS_NONE, birth("IN"), acquired("US", "2012-06-01"))),
                        "fable-5", ALLOW, ReasonCode.REASON_CODE_ENTITLED),
                row("no evidence: unknown counts as foreign (fail closed)", personWithKey("t-no-evidence", "Nobody Known"),
                        "fable-5", DENY, ReasonCode.REASON_CODE_DIRECTIVE),
                row("expired evidence does not count", personWithKey("t-expired", "Eve Expired",
                        expired(evidence(ImmigrationStatus.IMMIGRATION_STATUS_NONE, birth("US")))), "fable-5", DENY,
                        ReasonCode.REASON_CODE_DIRECTIVE),
                // issue 3's additions
                row("dual national, CN most recent: a CN national", personWithKey("t-fr-then-cn", "Fang Recent",
                        evidence(ImmigrationStatus.IMMIGRATION_STATUS_H1B, birth("FR"), acquired("CN", "2015-01-01"))),
                        "mythos-1", DENY, ReasonCode.REASON_CODE_DIRECTIVE),
                row("dual national, FR most recent: not a CN national", personWithKey("t-cn-then-fr", "Chen Later",
                        evidence(ImmigrationStatus.IMMIGRATION_STATUS_H1B, birth("CN"), acquired("FR", "2015-01-01"))),
                        "mythos-1", ALLOW, ReasonCode.REASON_CODE_ENTITLED),
                row("revoked evidence: unknown again", revokedSecret, "fable-5", DENY, ReasonCode.REASON_CODE_DIRECTIVE),
                row("expired document does not count", personWithKey("t-expired-passport", "Otto Oldpass",
                        expired(evidence(ImmigrationStatus.IMMIGRATION_STATUS_NONE, birth("US"))
                                .setDocumentClass(DocumentClass.DOCUMENT_CLASS_PASSPORT).setIssuingCountry("US"))),
                        "fable-5", DENY, ReasonCode.REASON_CODE_DIRECTIVE),
                row("organisation key: unknown for directives", orgKey, "fable-5", DENY, ReasonCode.REASON_CODE_DIRECTIVE),
                row("organisation key: uncontrolled model served", orgKey, "lyric-3", ALLOW, ReasonCode.REASON_CODE_ENTITLED),
                row("screening near-miss (potential match): controlled refused", nearMiss, "fable-5", DENY,
                        ReasonCode.REASON_CODE_SANCTIONED_PARTY),
                row("screening near-miss (potential match): uncontrolled served", nearMiss, "lyric-3", ALLOW,
                        ReasonCode.REASON_CODE_ENTITLED),
                row("screening hit (confirmed): everything refused", hit, "lyric-3", DENY,
                        ReasonCode.REASON_CODE_SANCTIONED_PARTY),
                new Row("embargoed IP (IR) via a trusted proxy: a US citizen is refused", usCitizen, "lyric-3",
                        "2a02:d2c0::1", false, DENY, ReasonCode.REASON_CODE_EMBARGOED_REGION,
                        d -> d.getRequestLocation().getCountry().equals("IR"), "located in IR"),
                new Row("embargoed region (Crimea, UA-43) via a trusted proxy: refused, region recorded", usCitizen,
                        "lyric-3", CityTestDatabase.CRIMEA, false, DENY, ReasonCode.REASON_CODE_EMBARGOED_REGION,
                        d -> d.getRequestLocation().getRegion().equals("UA-43")
                                && d.getReasons(0).getMessage().contains("UA-43")
                                && d.getReasons(0).getCitation().equals("15 CFR Part 746"),
                        "located in UA-43, citing 15 CFR Part 746"),
                new Row("same country, other region (Kyiv, UA-30): served", usCitizen, "fable-5", CityTestDatabase.KYIV,
                        false, ALLOW, ReasonCode.REASON_CODE_ENTITLED,
                        d -> d.getRequestLocation().getCountry().equals("UA")
                                && d.getRequestLocation().getRegion().equals("UA-30"), "located in UA-30"),
                new Row("VPN: served, flags recorded", usCitizen, "fable-5", "81.2.69.142", false, ALLOW,
                        ReasonCode.REASON_CODE_ENTITLED,
                        d -> d.getRequestLocation().getVpn() && d.getRequestLocation().getCountry().equals("GB"),
                        "GB with the VPN flag"),
                new Row("trusted proxy's X-Forwarded-For is the client address", usCitizen, "fable-5", "89.160.20.112",
                        false, ALLOW, ReasonCode.REASON_CODE_ENTITLED,
                        d -> d.getRequestLocation().getCountry().equals("SE") && !d.getRequestLocation().getVpn(),
                        "located in SE, no flags"),
                new Row("untrusted peer's X-Forwarded-For is ignored", usCitizen, "lyric-3", "2a02:d2c0::1", true, ALLOW,
                        ReasonCode.REASON_CODE_ENTITLED, d -> !d.getRequestLocation().getCountry().equals("IR"),
                        "not located in IR")));

        Map<String, String> results = Collections.synchronizedMap(new LinkedHashMap<>());
        assertAll(rows.stream().map(r -> () -> {
            Decision d = decide(r);
            results.put(r.name(), RouterClient.outcome(d) + " " + RouterClient.reasons(d));
            assertEquals(r.outcome(), d.getOutcome(), () -> r.name() + ": " + RouterClient.reasons(d));
            assertEquals(r.reason(), d.getReasons(0).getCode(), () -> r.name() + ": " + RouterClient.reasons(d));
            assertTrue(r.also().test(d), () -> r.name() + ": " + r.alsoSays() + "; was " + d.getRequestLocation());
        }));
        results.forEach((name, result) -> System.out.printf("  %-70s %s%n", name, result));
        assertTrue(rows.size() >= 20);
    }

    private static Decision decide(Row r) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (r.forwardedFor() != null) {
            headers.put("x-forwarded-for", r.forwardedFor());
        }
        CallerCredentials credentials = CallerCredentials.apiKey(r.secret()).with(headers);
        ManagedChannel channel = r.untrustedPeer() ? untrustedChannel() : routerChannel;
        return new RouterClient(channel, credentials).explain(r.model(), true);
    }

    /** The router through this machine's first non-loopback IPv4 address: a peer it does not trust. */
    private static synchronized ManagedChannel untrustedChannel() {
        if (untrustedChannel == null) {
            String address = nonLoopbackAddress();
            untrustedChannel = ScenarioLoader.channel(address + ":" + suite.router().grpcPort());
        }
        return untrustedChannel;
    }

    private static String nonLoopbackAddress() {
        try {
            for (var nic : Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (var a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof java.net.Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        return a.getHostAddress();
                    }
                }
            }
        } catch (java.net.SocketException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("no non-loopback IPv4 address to reach the router as an untrusted peer");
    }

    // ---- revocation to denial, measured -----------------------------------------------------------

    @Test
    @Order(20)
    void revokingEvidenceReachesTheRouterAndIsMeasured() throws Exception {
        String secret = personWithKey("t-measured", "Mia Measured");
        RouterClient router = new RouterClient(routerChannel, CallerCredentials.apiKey(secret));
        List<Long> micros = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (int round = 1; round <= 10; round++) {
            Verification v = identity().recordVerification(RecordVerificationRequest.newBuilder()
                    .setParent("persons/t-measured").setVerification(evidence(ImmigrationStatus.IMMIGRATION_STATUS_NONE,
                            birth("US"))).build()).getVerification();
            // The router holds the US-person view in its cache before the revocation.
            DecisionPoll.until(() -> router.explain("fable-5", true), d -> d.getOutcome() == ALLOW,
                    java.time.Duration.ofSeconds(AWAIT_SECONDS));
            router.explain("fable-5", true);
            identity().revokeVerification(RevokeVerificationRequest.newBuilder().setName(v.getName())
                    .setReason("measurement round " + round).build());
            DecisionPoll.Result denied = DecisionPoll.until(() -> router.explain("fable-5", true),
                    d -> d.getOutcome() == DENY, java.time.Duration.ofSeconds(AWAIT_SECONDS));
            assertEquals(ReasonCode.REASON_CODE_DIRECTIVE, denied.decision().getReasons(0).getCode());
            micros.add(denied.elapsed().toNanos() / 1000);
            lines.add(String.format("round %2d: denied %.1f ms after RevokeVerification returned (%d polls)", round,
                    denied.elapsed().toNanos() / 1e6, denied.polls()));
        }
        List<Long> sorted = new ArrayList<>(micros);
        Collections.sort(sorted);
        String summary = String.format("revoke -> router denies, %d rounds: min %.1f ms, median %.1f ms, max %.1f ms",
                sorted.size(), sorted.get(0) / 1e3, sorted.get(sorted.size() / 2) / 1e3, sorted.get(sorted.size() - 1) / 1e3);
        lines.add(summary);
        lines.forEach(System.out::println);
        Path out = suite.config().logDirectory().resolve("revoke-to-deny.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, lines);
        assertFalse(micros.isEmpty());
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static KeycloakSyncRun sync() {
        return identity().syncKeycloak(SyncKeycloakRequest.getDefaultInstance()).getRun();
    }

    private static void assertChange(KeycloakSyncRun report, String resource, KeycloakSyncAction action,
                                     String detailContains) {
        assertTrue(report.getChangesList().stream().anyMatch(c -> c.getResource().equals(resource)
                        && c.getAction() == action && c.getDetail().contains(detailContains)),
                () -> "expected " + action + " " + resource + " (" + detailContains + ") in " + report.getChangesList());
    }

    private static CallerIdentity resolve(String bearer) {
        return identity().resolveCaller(ResolveCallerRequest.newBuilder().setBearerToken(bearer).build()).getCaller();
    }

    private static JsonNode keycloakSyncHealth() {
        String body = http("/q/health/ready").body();
        for (JsonNode check : KeycloakAdminApi.json(body).path("checks")) {
            if (check.path("name").asText().equals("keycloak-sync")) {
                return check;
            }
        }
        throw new AssertionError("no keycloak-sync check in " + body);
    }

    private static int readinessStatus() {
        return http("/q/health/ready").statusCode();
    }

    private static HttpResponse<String> http(String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://localhost:" + suite.identity().httpPort() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls {@code read} until {@code done} holds (bounded); failures meanwhile are retried. */
    static <T> T await(Supplier<T> read, Predicate<T> done, String what) {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS);
        Object last = null;
        while (System.nanoTime() < giveUp) {
            try {
                T value = read.get();
                if (done.test(value)) {
                    return value;
                }
                last = value;
            } catch (RuntimeException e) {
                last = e;
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

    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
