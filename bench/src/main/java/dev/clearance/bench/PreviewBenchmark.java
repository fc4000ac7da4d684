package dev.clearance.bench;

import dev.clearance.entitlement.v1.CreateDirectiveRequest;
import dev.clearance.entitlement.v1.CreateSubscriptionRequest;
import dev.clearance.entitlement.v1.Directive;
import dev.clearance.entitlement.v1.DirectiveSubjects;
import dev.clearance.entitlement.v1.EnforceDirectiveRequest;
import dev.clearance.entitlement.v1.EntitlementServiceGrpc;
import dev.clearance.entitlement.v1.FamilyScope;
import dev.clearance.entitlement.v1.ModelImpact;
import dev.clearance.entitlement.v1.PreviewDirectiveImpactRequest;
import dev.clearance.entitlement.v1.PreviewDirectiveImpactResponse;
import dev.clearance.entitlement.v1.ShadowDirectiveRequest;
import dev.clearance.entitlement.v1.SubjectKind;
import dev.clearance.entitlement.v1.CitizenshipMode;
import dev.clearance.entitlement.v1.Subscription;
import dev.clearance.identity.v1.IdentityServiceGrpc;
import dev.clearance.identity.v1.ListOrganisationsRequest;
import dev.clearance.identity.v1.ListOrganisationsResponse;
import dev.clearance.identity.v1.ListPersonsRequest;
import dev.clearance.identity.v1.ListPersonsResponse;
import dev.clearance.identity.v1.StreamPopulationRequest;
import dev.clearance.suite.CallerCredentials;
import dev.clearance.suite.ServiceProcess;
import dev.clearance.testing.EmbeddedDatabase;
import dev.clearance.testing.PostgresConnection;
import dev.clearance.testing.TestIssuer;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The impact preview at 100,000 persons and 10 directives (issue 4's figure), not part of the
 * tests: identity-service and entitlement-service as processes from their built fast-jars on an
 * embedded PostgreSQL, no Keycloak (the officer's tokens come from a {@link TestIssuer} whose JWKS
 * this serves). 100,000 persons (a quarter each US citizens, CN nationals, IN nationals, without
 * evidence) in 6 organisations, 20,000 person keys and one organisation-wide key per organisation
 * are inserted by SQL; 9 directives are in force or shadow (foreign persons from fable-5 enforced,
 * 4 enforced and 4 shadow nationals-of that nobody holds) and a 10th, nationals of CN from
 * fable-4.5, is previewed unsaved. Prints the first (cold) preview and the warm ones, and, side by
 * side on the same identity-service, the population listing the old way (sequential ListPersons
 * pages of 1000, as the preview did before StreamPopulation) and by StreamPopulation, alternated.
 *
 * <p>Ports: gRPC 15301-15302, HTTP 14301-14302, used by nothing else and below the kernel's
 * ephemeral range (32768-60999). Run (after packaging identity-service, entitlement-service and
 * bench, as bin/bench does): {@code java -cp "bench/target/classes:$(cat bench/target/classpath.txt)"
 * dev.clearance.bench.PreviewBenchmark . [persons] [warm runs]}.
 */
public final class PreviewBenchmark {

    private static final int IDENTITY_GRPC = 15301;
    private static final int ENTITLEMENT_GRPC = 15302;
    private static final int HTTP_OFFSET = -1000;
    private static final int ORGANISATIONS = 6;

    private PreviewBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        int persons = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int warm = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Path logs = home.resolve("bench/target/services/preview-" + run);
        Files.createDirectories(logs);
        TestIssuer issuer = new TestIssuer();
        List<ManagedChannel> channels = new ArrayList<>();
        try (TestIssuer.JwksServer jwks = issuer.serveJwks();
             EmbeddedDatabase embedded = EmbeddedDatabase.start()) {
            PostgresConnection db = embedded.connection();
            ServiceProcess identity = new ServiceProcess("identity-service",
                    home.resolve("identity-service/target/quarkus-app/quarkus-run.jar"),
                    datasource(db, "preview_identity", issuer, jwks), IDENTITY_GRPC, IDENTITY_GRPC + HTTP_OFFSET,
                    logs.resolve("identity-service.log"), Fleet.SERVICE_JVM);
            Map<String, String> e = datasource(db, "preview_entitlement", issuer, jwks);
            e.put("quarkus.grpc.clients.identity.host", "localhost");
            e.put("quarkus.grpc.clients.identity.port", Integer.toString(IDENTITY_GRPC));
            ServiceProcess entitlement = new ServiceProcess("entitlement-service",
                    home.resolve("entitlement-service/target/quarkus-app/quarkus-run.jar"), e, ENTITLEMENT_GRPC,
                    ENTITLEMENT_GRPC + HTTP_OFFSET, logs.resolve("entitlement-service.log"), Fleet.SERVICE_JVM);
            try (identity; entitlement) {
                Fleet.inParallel(identity::start, entitlement::start);
                // Two officers: enforcing is one officer's emergency here; previewing is a compliance read.
                CallerCredentials officer = CallerCredentials.admin(() -> issuer.token("preview-officer",
                        "preview-officer", TestIssuer.ADMIN, TestIssuer.COMPLIANCE));
                ManagedChannel ic = ManagedChannelBuilder.forAddress("localhost", IDENTITY_GRPC).usePlaintext()
                        .maxInboundMessageSize(64 * 1024 * 1024).build();
                ManagedChannel ec = ManagedChannelBuilder.forAddress("localhost", ENTITLEMENT_GRPC).usePlaintext().build();
                channels.add(ic);
                channels.add(ec);
                IdentityServiceGrpc.IdentityServiceBlockingStub people = IdentityServiceGrpc.newBlockingStub(ic)
                        .withInterceptors(officer);
                EntitlementServiceGrpc.EntitlementServiceBlockingStub policy = EntitlementServiceGrpc.newBlockingStub(ec)
                        .withInterceptors(officer);

                BenchData.load(people, policy);
                seed(db, persons);
                for (int k = 0; k < ORGANISATIONS; k++) {
                    policy.createSubscription(CreateSubscriptionRequest.newBuilder().setSubscription(Subscription
                            .newBuilder().setOrganisation("organisations/org-" + k).setTier("tiers/pro")).build());
                }
                directives(policy);

                Directive previewed = Directive.newBuilder().setIssuer("BIS").setCitation("preview benchmark")
                        .addScope(FamilyScope.newBuilder().setFamily("families/fable").setFromVersion("fable-4.5"))
                        .setSubjects(DirectiveSubjects.newBuilder().setKind(SubjectKind.SUBJECT_KIND_NATIONALS_OF)
                                .addCountries("CN").setCitizenshipMode(CitizenshipMode.CITIZENSHIP_MODE_MOST_RECENT))
                        .build();
                System.out.println("load before: " + loadavg());
                for (int i = 0; i <= warm; i++) {
                    long start = System.nanoTime();
                    PreviewDirectiveImpactResponse r = policy.withDeadlineAfter(10, TimeUnit.MINUTES)
                            .previewDirectiveImpact(PreviewDirectiveImpactRequest.newBuilder().setDirective(previewed)
                                    .setPageSize(10).build());
                    long ms = (System.nanoTime() - start) / 1_000_000;
                    StringBuilder models = new StringBuilder();
                    for (ModelImpact m : r.getModelsList()) {
                        models.append(' ').append(m.getModel()).append(": ").append(m.getPersons()).append(" persons, ")
                                .append(m.getApiKeys()).append(" keys (").append(m.getOrganisationWideApiKeys())
                                .append(" organisation-wide);");
                    }
                    System.out.printf("preview %s: %d ms; %d persons, %d organisations, %d keys evaluated;%s load %s%n",
                            i == 0 ? "first (cold)" : "warm " + i, ms, r.getPersonsEvaluated(),
                            r.getOrganisationsEvaluated(), r.getApiKeysEvaluated(), models, loadavg());
                }
                // The listing alone, old way and new way alternated on the same warm identity-service.
                for (int i = 0; i < 3; i++) {
                    System.out.printf("listing by ListPersons pages of 1000: %d ms; by StreamPopulation: %d ms; load %s%n",
                            pages(people), stream(people), loadavg());
                }
                System.out.println("identity-service and entitlement-service logs: " + logs);
            }
        } finally {
            channels.forEach(ManagedChannel::shutdownNow);
        }
    }

    private static Map<String, String> datasource(PostgresConnection db, String schema, TestIssuer issuer,
                                                  TestIssuer.JwksServer jwks) {
        Map<String, String> p = new HashMap<>();
        p.put("quarkus.datasource.reactive.url", db.reactiveUrl());
        p.put("quarkus.datasource.jdbc.url", db.jdbcUrl());
        p.put("quarkus.datasource.username", db.user());
        p.put("quarkus.datasource.password", db.password());
        p.put("clearance.db.schema", schema);
        p.put("clearance.oidc.issuer", issuer.issuer());
        p.put("clearance.oidc.jwks-url", jwks.url());
        return p;
    }

    /** Organisations, persons with derived status as identity-service stores it, and keys, by SQL. */
    private static void seed(PostgresConnection db, int persons) throws Exception {
        try (Connection c = db.open(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO preview_identity.organisation (id, display_name, country, create_time)"
                    + " SELECT 'org-' || k, 'Org ' || k, 'US', now() FROM generate_series(0, " + (ORGANISATIONS - 1) + ") k");
            s.execute("INSERT INTO preview_identity.person (id, display_name, organisation_id, us_person_status,"
                    + " controlling_country, citizenships, assurance_level, verify_time, expire_time,"
                    + " status_recompute_time, identity_revision, create_time, update_time)"
                    + " SELECT 'p' || lpad(i::text, 6, '0'), 'Person ' || i, 'org-' || (i % " + ORGANISATIONS + "),"
                    + " CASE i % 4 WHEN 0 THEN 'US_CITIZEN' WHEN 3 THEN 'UNKNOWN' ELSE 'FOREIGN_PERSON' END,"
                    + " CASE i % 4 WHEN 1 THEN 'CN' WHEN 2 THEN 'IN' END,"
                    + " CASE i % 4 WHEN 0 THEN 'US' WHEN 1 THEN 'CN' WHEN 2 THEN 'IN' ELSE '' END,"
                    + " CASE WHEN i % 4 < 3 THEN 'IAL2' END,"
                    + " CASE WHEN i % 4 < 3 THEN now() - interval '1 day' END,"
                    + " CASE WHEN i % 4 < 3 THEN now() + interval '365 days' END,"
                    + " CASE WHEN i % 4 < 3 THEN now() + interval '365 days' END, 1, now(), now()"
                    + " FROM generate_series(0, " + (persons - 1) + ") i");
            s.execute("INSERT INTO preview_identity.api_key (id, owner_person_id, display_name, prefix, secret_hash,"
                    + " create_time) SELECT 'k' || lpad(i::text, 6, '0'), 'p' || lpad(i::text, 6, '0'), 'key', "
                    + " 'k' || lpad(i::text, 7, '0'), repeat('0', 64), now() FROM generate_series(0, " + (persons - 1)
                    + ", 5) i");
            s.execute("INSERT INTO preview_identity.api_key (id, owner_organisation_id, display_name, prefix, secret_hash,"
                    + " create_time) SELECT 'org-key-' || k, 'org-' || k, 'org key', 'o' || lpad(k::text, 7, '0'),"
                    + " repeat('0', 64), now() FROM generate_series(0, " + (ORGANISATIONS - 1) + ") k");
        }
    }

    /** Nine directives: the scenario's enforced, 4 enforced and 4 shadow nationals-of nobody holds. */
    private static void directives(EntitlementServiceGrpc.EntitlementServiceBlockingStub policy) {
        BenchData.draftDirective(policy, "foreign-persons");
        BenchData.requireEnforced(policy.enforceDirective(EnforceDirectiveRequest.newBuilder()
                .setName("directives/foreign-persons").setReason("preview benchmark").setEmergency(true).build()));
        List<String> countries = List.of("RU", "IR", "KP", "SY", "CU", "BY", "VE", "MM");
        for (int k = 0; k < countries.size(); k++) {
            String id = "nationals-" + countries.get(k).toLowerCase();
            policy.createDirective(CreateDirectiveRequest.newBuilder().setDirectiveId(id)
                    .setDirective(Directive.newBuilder().setIssuer("BIS").setCitation("preview benchmark " + k)
                            .addScope(FamilyScope.newBuilder().setFamily("families/fable").setFromVersion("fable-4.5"))
                            .setSubjects(DirectiveSubjects.newBuilder().setKind(SubjectKind.SUBJECT_KIND_NATIONALS_OF)
                                    .addCountries(countries.get(k))
                                    .setCitizenshipMode(CitizenshipMode.CITIZENSHIP_MODE_ANY)))
                    .build());
            if (k % 2 == 0) {
                BenchData.requireEnforced(policy.enforceDirective(EnforceDirectiveRequest.newBuilder()
                        .setName("directives/" + id).setReason("preview benchmark").setEmergency(true).build()));
            } else {
                policy.shadowDirective(ShadowDirectiveRequest.newBuilder().setName("directives/" + id)
                        .setReason("preview benchmark").build());
            }
        }
    }

    /** The population the way the preview listed it before: sequential pages of 1000. */
    private static long pages(IdentityServiceGrpc.IdentityServiceBlockingStub people) {
        long start = System.nanoTime();
        int listed = 0;
        String token = "";
        do {
            ListOrganisationsResponse r = people.listOrganisations(ListOrganisationsRequest.newBuilder()
                    .setPageSize(1000).setPageToken(token).build());
            token = r.getNextPageToken();
        } while (!token.isEmpty());
        do {
            ListPersonsResponse r = people.listPersons(ListPersonsRequest.newBuilder().setPageSize(1000)
                    .setPageToken(token).build());
            listed += r.getPersonsCount();
            token = r.getNextPageToken();
        } while (!token.isEmpty());
        if (listed == 0) {
            throw new IllegalStateException("no persons listed");
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static long stream(IdentityServiceGrpc.IdentityServiceBlockingStub people) {
        long start = System.nanoTime();
        int listed = 0;
        Iterator<dev.clearance.identity.v1.StreamPopulationResponse> it = people.streamPopulation(
                StreamPopulationRequest.newBuilder().setBatchSize(5000).build());
        while (it.hasNext()) {
            listed += it.next().getPersonsCount();
        }
        if (listed == 0) {
            throw new IllegalStateException("no persons streamed");
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static String loadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
