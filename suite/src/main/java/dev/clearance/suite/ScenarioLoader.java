package dev.clearance.suite;

import com.google.protobuf.Timestamp;
import dev.clearance.common.v1.AssuranceLevel;
import dev.clearance.entitlement.v1.CarveOut;
import dev.clearance.entitlement.v1.CreateDirectiveRequest;
import dev.clearance.entitlement.v1.CreateLicenceRequest;
import dev.clearance.entitlement.v1.CreateModelAliasRequest;
import dev.clearance.entitlement.v1.CreateModelFamilyRequest;
import dev.clearance.entitlement.v1.CreateModelVersionRequest;
import dev.clearance.entitlement.v1.CreateProgrammeMembershipRequest;
import dev.clearance.entitlement.v1.CreateProgrammeRequest;
import dev.clearance.entitlement.v1.CreateSubscriptionRequest;
import dev.clearance.entitlement.v1.CreateTierRequest;
import dev.clearance.entitlement.v1.Directive;
import dev.clearance.entitlement.v1.DirectiveState;
import dev.clearance.entitlement.v1.DirectiveSubjects;
import dev.clearance.entitlement.v1.EntitlementServiceGrpc;
import dev.clearance.entitlement.v1.FamilyScope;
import dev.clearance.entitlement.v1.GetDirectiveRequest;
import dev.clearance.entitlement.v1.GetPolicySnapshotRequest;
import dev.clearance.entitlement.v1.Licence;
import dev.clearance.entitlement.v1.LicenceKind;
import dev.clearance.entitlement.v1.ModelAlias;
import dev.clearance.entitlement.v1.ModelFamily;
import dev.clearance.entitlement.v1.ModelVersion;
import dev.clearance.entitlement.v1.ModelVersionStatus;
import dev.clearance.entitlement.v1.PolicySnapshot;
import dev.clearance.entitlement.v1.Programme;
import dev.clearance.entitlement.v1.ProgrammeMembership;
import dev.clearance.entitlement.v1.Subscription;
import dev.clearance.entitlement.v1.SubjectKind;
import dev.clearance.entitlement.v1.Tier;
import dev.clearance.identity.v1.ApiKey;
import dev.clearance.identity.v1.Citizenship;
import dev.clearance.identity.v1.CreateApiKeyRequest;
import dev.clearance.identity.v1.CreateOrganisationRequest;
import dev.clearance.identity.v1.CreatePersonRequest;
import dev.clearance.identity.v1.GetPersonRequest;
import dev.clearance.identity.v1.IdentityServiceGrpc;
import dev.clearance.identity.v1.ImmigrationStatus;
import dev.clearance.identity.v1.Organisation;
import dev.clearance.identity.v1.Person;
import dev.clearance.identity.v1.RecordVerificationRequest;
import dev.clearance.identity.v1.Verification;
import io.grpc.Channel;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Applies a {@link Scenario} through the admin gRPC APIs of identity-service and
 * entitlement-service (never through their databases), so it works against any deployed suite.
 *
 * <p>Re-running it is safe: whatever already exists (ALREADY_EXISTS, or found in the current
 * policy snapshot or on the person) is left alone. The one thing a re-run adds is a fresh
 * organisation API key, because a secret is only ever shown when the key is created. The
 * directive is created in DRAFT state; enforcing it is a separate, deliberate step.
 *
 * <pre>
 * java -cp ... dev.clearance.suite.ScenarioLoader [--scenario demo/scenario.yaml]
 *     [--identity localhost:9101] [--entitlement localhost:9102]
 *     [--keycloak http://localhost:8180 --admin-user officer --admin-password clearance-demo
 *      | --keycloak URL --client-id clearance-automation --client-secret SECRET | --token TOKEN]
 * </pre>
 */
public final class ScenarioLoader {

    private static final long DEADLINE_SECONDS = 30;

    private final Channel identityChannel;
    private final Channel entitlementChannel;
    private final CallerCredentials admin;
    private final PrintStream out;
    private int created;
    private int existing;

    /**
     * @param adminToken a bearer token with the clearance-admin and clearance-compliance roles, read per
     *                   call; its subject is the actor the services record for every change
     */
    public ScenarioLoader(Channel identity, Channel entitlement, Supplier<String> adminToken, PrintStream out) {
        this.identityChannel = identity;
        this.entitlementChannel = entitlement;
        this.admin = CallerCredentials.admin(adminToken);
        this.out = out;
    }

    /**
     * What loading produced.
     *
     * @param apiKeySecrets  per organisation-API-key entry of the scenario, the secret issued now
     * @param apiKeyNames    per entry, the key's resource name
     * @param directive      the directive's resource name
     * @param directiveState its state after loading (DRAFT unless an earlier run changed it)
     */
    public record Result(Map<String, String> apiKeySecrets, Map<String, String> apiKeyNames, String directive,
                         DirectiveState directiveState, int created, int existing) {
    }

    public Result load(Scenario scenario) {
        loadOrganisations(scenario);
        loadPersons(scenario);
        Map<String, String> secrets = new LinkedHashMap<>();
        Map<String, String> keyNames = new LinkedHashMap<>();
        loadApiKeys(scenario, secrets, keyNames);
        loadCatalogue(scenario);
        PolicySnapshot current = entitlement().getPolicySnapshot(GetPolicySnapshotRequest.getDefaultInstance())
                .getSnapshot();
        loadTiersAndProgrammes(scenario, current);
        loadLicences(scenario, current);
        String directive = "directives/" + scenario.directive().id();
        loadDirective(scenario.directive());
        DirectiveState state = entitlement().getDirective(GetDirectiveRequest.newBuilder().setName(directive).build())
                .getDirective().getState();
        out.printf("scenario loaded: %d created, %d already there; %s is %s%n", created, existing, directive,
                state.name().replace("DIRECTIVE_STATE_", ""));
        return new Result(Map.copyOf(secrets), Map.copyOf(keyNames), directive, state, created, existing);
    }

    private void loadOrganisations(Scenario s) {
        s.organisations().forEach((id, org) -> create("organisations/" + id, () -> identity().createOrganisation(
                CreateOrganisationRequest.newBuilder()
                        .setOrganisationId(id)
                        .setOrganisation(Organisation.newBuilder()
                                .setDisplayName(org.displayName() == null ? id : org.displayName())
                                .setCountry(org.country()))
                        .build())));
    }

    private void loadPersons(Scenario s) {
        s.persons().forEach((id, p) -> {
            String name = "persons/" + id;
            create(name, () -> identity().createPerson(CreatePersonRequest.newBuilder()
                    .setPersonId(id)
                    .setPerson(Person.newBuilder()
                            .setDisplayName(p.displayName() == null ? id : p.displayName())
                            .setOrganisation("organisations/" + p.org())
                            .setSubject(p.subject()))
                    .build()));
            Person stored = identity().getPerson(GetPersonRequest.newBuilder().setName(name).build()).getPerson();
            if (!stored.getDecidingVerification().isEmpty()) {
                existing++;
                return;
            }
            Person updated = identity().recordVerification(RecordVerificationRequest.newBuilder()
                    .setParent(name)
                    .setVerification(verification(s.verificationDefaults(), p))
                    .setReason("demo scenario: " + (p.evidence() == null ? "evidence on file" : p.evidence()))
                    .build()).getPerson();
            created++;
            out.printf("  verified %-16s %s%n", name, updated.getUsPersonStatus().name().replace("US_PERSON_STATUS_", ""));
        });
    }

    static Verification verification(Scenario.VerificationDefaults defaults, Scenario.Person p) {
        Verification.Builder v = Verification.newBuilder()
                .setImmigrationStatus(ImmigrationStatus.valueOf("IMMIGRATION_STATUS_"
                        + orDefault(p.immigrationStatus(), defaults.immigrationStatus())))
                .setAssuranceLevel(assurance(orDefault(p.assurance(), defaults.assurance())))
                .setVerifyTime(timestamp(Instant.parse(orDefault(p.verifiedAt(), defaults.verifiedAt()))))
                .setExpireTime(timestamp(Instant.parse(orDefault(p.expiresAt(), defaults.expiresAt()))));
        for (String country : p.citizenships()) {
            v.addCitizenships(Citizenship.newBuilder()
                    .setCountry(country)
                    .setAcquireDate(p.acquired().getOrDefault(country, "")));
        }
        if (p.evidence() != null) {
            v.setEvidenceReference(p.evidence());
        }
        return v.build();
    }

    private void loadApiKeys(Scenario s, Map<String, String> secrets, Map<String, String> names) {
        s.organisationApiKeys().forEach((id, key) -> {
            var response = identity().createApiKey(CreateApiKeyRequest.newBuilder()
                    .setApiKey(ApiKey.newBuilder()
                            .setOwner("organisations/" + key.org())
                            .setDisplayName(id))
                    .build());
            created++;
            secrets.put(id, response.getSecret());
            names.put(id, response.getApiKey().getName());
            out.printf("  created %s (%s) for organisations/%s; secret (shown once): %s%n",
                    response.getApiKey().getName(), id, key.org(), response.getSecret());
        });
    }

    private void loadCatalogue(Scenario s) {
        for (Scenario.Family f : s.catalogue().families()) {
            String family = "families/" + f.family();
            create(family, () -> entitlement().createModelFamily(CreateModelFamilyRequest.newBuilder()
                    .setFamilyId(f.family())
                    .setFamily(ModelFamily.newBuilder()
                            .setDisplayName(f.displayName() == null ? f.family() : f.displayName())
                            .setControlled(f.controlled()))
                    .build()));
            // Oldest first: each new version is appended as the family's newest.
            for (String version : f.versions()) {
                create(family + "/versions/" + version, () -> entitlement().createModelVersion(
                        CreateModelVersionRequest.newBuilder()
                                .setParent(family)
                                .setVersionId(version)
                                .setVersion(ModelVersion.newBuilder().setStatus(ModelVersionStatus.MODEL_VERSION_STATUS_GA))
                                .build()));
            }
            f.aliases().forEach((alias, target) -> create("aliases/" + alias, () -> entitlement().createModelAlias(
                    CreateModelAliasRequest.newBuilder()
                            .setAliasId(alias)
                            .setAlias(ModelAlias.newBuilder().setTargetVersion(target))
                            .build())));
        }
    }

    private void loadTiersAndProgrammes(Scenario s, PolicySnapshot current) {
        s.tiers().forEach((id, patterns) -> create("tiers/" + id, () -> entitlement().createTier(
                CreateTierRequest.newBuilder()
                        .setTierId(id)
                        .setTier(Tier.newBuilder().setDisplayName(id).addAllModelPatterns(patterns))
                        .build())));
        s.programmes().forEach((id, p) -> create("programmes/" + id, () -> entitlement().createProgramme(
                CreateProgrammeRequest.newBuilder()
                        .setProgrammeId(id)
                        .setProgramme(Programme.newBuilder()
                                .setDescription(p.note() == null ? "" : p.note())
                                .addAllModelPatterns(p.models()))
                        .build())));
        s.organisations().forEach((id, org) -> {
            String organisation = "organisations/" + id;
            for (String programme : org.programmes()) {
                String parent = "programmes/" + programme;
                boolean member = current.getProgrammeMembershipsList().stream()
                        .anyMatch(m -> m.getProgramme().equals(parent) && m.getMember().equals(organisation));
                createUnless(member, parent + " membership of " + organisation, () ->
                        entitlement().createProgrammeMembership(CreateProgrammeMembershipRequest.newBuilder()
                                .setParent(parent)
                                .setMembership(ProgrammeMembership.newBuilder().setMember(organisation))
                                .build()));
            }
            if (org.tier() != null) {
                String tier = "tiers/" + org.tier();
                boolean subscribed = current.getSubscriptionsList().stream()
                        .anyMatch(sub -> sub.getOrganisation().equals(organisation) && sub.getTier().equals(tier));
                createUnless(subscribed, "subscription of " + organisation + " to " + tier, () ->
                        entitlement().createSubscription(CreateSubscriptionRequest.newBuilder()
                                .setSubscription(Subscription.newBuilder().setOrganisation(organisation).setTier(tier))
                                .build()));
            }
        });
    }

    private void loadLicences(Scenario s, PolicySnapshot current) {
        s.persons().forEach((id, p) -> {
            Scenario.Licence l = p.licence();
            if (l == null) {
                return;
            }
            boolean present = current.getLicencesList().stream().anyMatch(x -> x.getReference().equals(l.reference()));
            createUnless(present, "licence " + l.reference() + " naming persons/" + id, () ->
                    entitlement().createLicence(CreateLicenceRequest.newBuilder()
                            .setLicence(Licence.newBuilder()
                                    .setKind(LicenceKind.valueOf("LICENCE_KIND_" + l.kind()))
                                    .setReference(l.reference())
                                    .setHolder("organisations/" + p.org())
                                    .addNamedPersons("persons/" + id)
                                    .addAllModelPatterns(l.covers())
                                    .setStartTime(timestamp(startOfDay(l.start())))
                                    .setEndTime(timestamp(startOfDay(l.end()))))
                            .build()));
        });
    }

    private void loadDirective(Scenario.Directive d) {
        create("directives/" + d.id(), () -> entitlement().createDirective(CreateDirectiveRequest.newBuilder()
                .setDirectiveId(d.id())
                .setDirective(directive(d))
                .build()));
    }

    static Directive directive(Scenario.Directive d) {
        Directive.Builder b = Directive.newBuilder()
                .setIssuer(d.issuer())
                .setReference(d.reference())
                .setCitation(d.citation())
                .setReceiveTime(timestamp(Instant.parse(d.receivedAt())))
                .setEffectiveTime(timestamp(Instant.parse(d.effectiveAt())))
                .setSubjects(DirectiveSubjects.newBuilder()
                        .setKind(SubjectKind.valueOf("SUBJECT_KIND_" + d.subjects().kind()))
                        .addAllCountries(d.subjects().countries())
                        .addAllCountryGroups(d.subjects().countryGroups()))
                .setMinimumAssurance(assurance(d.minimumAssurance()));
        for (String family : d.scope().families()) {
            b.addScope(FamilyScope.newBuilder()
                    .setFamily("families/" + family)
                    .setFromVersion(d.scope().fromVersion().getOrDefault(family, "")));
        }
        for (String carveOut : d.carveOuts()) {
            b.addCarveOuts(carveOut(carveOut));
        }
        return b.build();
    }

    /** {@code licensed_persons}, {@code programme:<id>} or {@code organisation:<id>}. */
    static CarveOut carveOut(String text) {
        if (text.equals("licensed_persons")) {
            return CarveOut.newBuilder().setLicensedPersons(true).build();
        }
        if (text.startsWith("programme:")) {
            return CarveOut.newBuilder().setProgramme("programmes/" + text.substring("programme:".length())).build();
        }
        if (text.startsWith("organisation:")) {
            return CarveOut.newBuilder().setOrganisation("organisations/" + text.substring("organisation:".length()))
                    .build();
        }
        throw new IllegalArgumentException("unknown carve-out " + text);
    }

    private void create(String what, Runnable call) {
        try {
            call.run();
            created++;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
                throw new IllegalStateException("could not create " + what + ": " + StatusText.describe(e), e);
            }
            existing++;
        }
    }

    private void createUnless(boolean present, String what, Runnable call) {
        if (present) {
            existing++;
        } else {
            create(what, call);
        }
    }

    private IdentityServiceGrpc.IdentityServiceBlockingStub identity() {
        return IdentityServiceGrpc.newBlockingStub(identityChannel).withInterceptors(admin)
                .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    private EntitlementServiceGrpc.EntitlementServiceBlockingStub entitlement() {
        return EntitlementServiceGrpc.newBlockingStub(entitlementChannel).withInterceptors(admin)
                .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    static AssuranceLevel assurance(String level) {
        return AssuranceLevel.valueOf("ASSURANCE_LEVEL_" + level);
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    private static Instant startOfDay(String isoDate) {
        return LocalDate.parse(isoDate).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static String orDefault(String value, String fallback) {
        return value != null ? value : fallback;
    }

    public static ManagedChannel channel(String target) {
        return Grpc.newChannelBuilder(target, InsecureChannelCredentials.create()).build();
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> options = new LinkedHashMap<>(Map.of(
                "--scenario", Scenario.defaultFile().toString(),
                "--identity", "localhost:9101",
                "--entitlement", "localhost:9102",
                "--keycloak", "http://localhost:8180",
                "--admin-user", "officer",
                "--admin-password", TokenClient.DEMO_PASSWORD));
        for (int i = 0; i < args.length; i++) {
            if (!options.containsKey(args[i]) && !List.of("--token", "--client-id", "--client-secret").contains(args[i])
                    || i + 1 >= args.length) {
                System.err.println("usage: ScenarioLoader [--scenario FILE] [--identity HOST:PORT]"
                        + " [--entitlement HOST:PORT] [--keycloak URL (--admin-user USER --admin-password PW"
                        + " | --client-id ID --client-secret SECRET) | --token TOKEN]");
                System.exit(2);
            }
            options.put(args[i], args[++i]);
        }
        String fixedToken = options.getOrDefault("--token", System.getenv("CLEARANCE_ADMIN_TOKEN"));
        TokenClient tokens = new TokenClient(options.get("--keycloak") + "/realms/" + KeycloakServer.REALM
                + "/protocol/openid-connect/token");
        String clientId = options.get("--client-id");
        String clientSecret = options.getOrDefault("--client-secret", System.getenv("CLEARANCE_CLIENT_SECRET"));
        Supplier<String> adminToken = fixedToken != null ? () -> fixedToken
                : clientId != null ? () -> tokens.serviceAccountToken(clientId, clientSecret)
                : () -> tokens.accessToken(TokenClient.CLI_CLIENT, options.get("--admin-user"), options.get("--admin-password"));
        String token = adminToken.get();
        ManagedChannel identity = channel(options.get("--identity"));
        ManagedChannel entitlement = channel(options.get("--entitlement"));
        try {
            new ScenarioLoader(identity, entitlement, () -> token, System.out)
                    .load(Scenario.load(Path.of(options.get("--scenario"))));
        } finally {
            identity.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            entitlement.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
