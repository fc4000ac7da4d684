package dev.clearance.suite;

import dev.clearance.common.v1.Decision;
import dev.clearance.common.v1.ReasonCode;
import dev.clearance.entitlement.v1.DirectiveState;
import dev.clearance.entitlement.v1.EnforceDirectiveRequest;
import dev.clearance.entitlement.v1.ApproveDirectiveRequest;
import dev.clearance.entitlement.v1.ApproveDirectiveResponse;
import dev.clearance.entitlement.v1.EntitlementServiceGrpc;
import dev.clearance.entitlement.v1.GetPropagationStatusRequest;
import dev.clearance.entitlement.v1.PropagationStatus;
import dev.clearance.entitlement.v1.RouterPropagation;
import dev.clearance.router.v1.GenerateResponse;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/up}: starts the whole suite on the default ports, loads the demo scenario, shows
 * alice and bogdan asking for fable-5 before and after the export directive is enforced (and how
 * long the directive took to reach the router), then runs until Ctrl-C.
 */
public final class Up {

    private static final String MODEL = "fable-5";
    /** The demo realm's compliance officer (clearance-admin and clearance-compliance). */
    private static final String OFFICER = "officer";
    /** The demo realm's second compliance officer, who approves (two-person rule). */
    private static final String OFFICER2 = "officer2";
    private static final PrintStream OUT = System.out;

    private record Row(String who, String when, String model, String outcome, String served, String reasons) {
    }

    public static void main(String[] args) throws Exception {
        SuiteConfig config = SuiteConfig.forUp();
        OUT.println("Starting Clearance (logs in " + config.logDirectory() + ") ...");
        Suite suite;
        try {
            suite = Suite.start(config);
        } catch (RuntimeException e) {
            System.err.println("Clearance did not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        OUT.printf("Clearance is up in %.1f s:%n%s%n", Suite.seconds(suite.startDuration()), suite.describe());

        TokenClient tokens = suite.keycloak().tokens();
        ManagedChannel identity = ScenarioLoader.channel("localhost:" + suite.identity().grpcPort());
        ManagedChannel entitlement = ScenarioLoader.channel("localhost:" + suite.entitlement().grpcPort());
        ManagedChannel router = ScenarioLoader.channel("localhost:" + suite.router().grpcPort());
        ScenarioLoader.Result loaded;
        try {
            Scenario scenario = Scenario.load(Scenario.defaultFile());
            OUT.println("Loading " + Scenario.defaultFile() + " through the admin APIs ...");
            loaded = new ScenarioLoader(identity, entitlement, () -> tokens.accessToken(OFFICER), OUT)
                    .load(scenario);
        } catch (RuntimeException e) {
            System.err.println("Loading the scenario failed: " + e.getMessage());
            suite.stop();
            System.exit(1);
            return;
        }

        try {
            demo(suite, tokens, entitlement, router, loaded);
        } catch (RuntimeException e) {
            System.err.println("The demo failed (the suite keeps running): "
                    + (e instanceof StatusRuntimeException s ? StatusText.describe(s) : e.toString()));
        }
        printHowToCall(suite, loaded);
        OUT.println("Running until Ctrl-C.");
        new CountDownLatch(1).await();
    }

    private static void demo(Suite suite, TokenClient tokens, ManagedChannel entitlementChannel, ManagedChannel router,
                             ScenarioLoader.Result loaded) {
        RouterClient alice = new RouterClient(router, CallerCredentials.bearer(tokens.accessToken("alice")));
        RouterClient bogdan = new RouterClient(router, CallerCredentials.bearer(tokens.accessToken("bogdan")));
        List<Row> rows = new ArrayList<>();
        boolean draft = loaded.directiveState() == DirectiveState.DIRECTIVE_STATE_DRAFT;
        String before = draft ? "before directive" : "directive " + loaded.directiveState().name()
                .replace("DIRECTIVE_STATE_", "").toLowerCase();
        rows.add(ask("alice", before, alice));
        rows.add(ask("bogdan", before, bogdan));

        String measured = "(the directive was not in DRAFT state, so it was not enforced again)";
        if (draft) {
            var compliance = EntitlementServiceGrpc.newBlockingStub(entitlementChannel)
                    .withInterceptors(CallerCredentials.admin(() -> tokens.accessToken(OFFICER)))
                    .withDeadlineAfter(30, TimeUnit.SECONDS);
            var approver = EntitlementServiceGrpc.newBlockingStub(entitlementChannel)
                    .withInterceptors(CallerCredentials.admin(() -> tokens.accessToken(OFFICER2)))
                    .withDeadlineAfter(30, TimeUnit.SECONDS);
            // Two-person rule: the officer asks, a second officer approves; the approval enforces.
            compliance.enforceDirective(EnforceDirectiveRequest.newBuilder()
                    .setName(loaded.directive())
                    .setReason("BIS letter received 2026-06-12 17:21 ET (bin/up demo)")
                    .build());
            long enforceStart = System.nanoTime();
            ApproveDirectiveResponse enforced = approver.approveDirective(ApproveDirectiveRequest.newBuilder()
                    .setName(loaded.directive())
                    .setReason("second officer checked the letter (bin/up demo)")
                    .build());
            Duration enforceCall = Duration.ofNanos(System.nanoTime() - enforceStart);
            Instant enforceReturned = Instant.now();
            DecisionPoll.Result applied = DecisionPoll.until(() -> bogdan.explain(MODEL, false),
                    d -> d.getReasonsList().stream().anyMatch(r -> r.getCode() == ReasonCode.REASON_CODE_DIRECTIVE),
                    Duration.ofSeconds(60));
            measured = String.format("ApproveDirective (second officer) returned policy revision %d in %d ms; the router's first"
                            + " decision applying it (bogdan, ExplainAccess %s, polled back to back) was answered %d ms"
                            + " after the call returned (poll %d; an upper bound, one round trip of resolution;"
                            + " decision at revision %d).",
                    enforced.getPolicyRevision(), enforceCall.toMillis(), MODEL, applied.elapsed().toMillis(),
                    applied.polls(), applied.decision().getPolicyRevision())
                    + routerAcknowledgements(compliance, enforced.getPolicyRevision(), enforceReturned);
            rows.add(ask("alice", "directive enforced", alice));
            rows.add(ask("bogdan", "directive enforced", bogdan));
        }
        OUT.println();
        OUT.printf("%-7s %-19s %-9s %-15s %-10s %s%n", "caller", "when", "asks for", "outcome", "served", "reasons");
        for (Row r : rows) {
            OUT.printf("%-7s %-19s %-9s %-15s %-10s %s%n", r.who, r.when, r.model, r.outcome, r.served, r.reasons);
        }
        OUT.println();
        OUT.println("Propagation: " + measured);
        OUT.println();
    }

    /**
     * The routers' own account, where entitlement-service tracks acknowledgements: when each
     * router says it applied the revision (its clock; same machine here), relative to the call's return.
     */
    private static String routerAcknowledgements(EntitlementServiceGrpc.EntitlementServiceBlockingStub compliance,
                                                 long revision, Instant enforceReturned) {
        try {
            PropagationStatus status = compliance.getPropagationStatus(GetPropagationStatusRequest.newBuilder()
                    .setRevision(revision).build()).getStatus();
            StringBuilder b = new StringBuilder();
            for (RouterPropagation router : status.getRoutersList()) {
                if (router.getApplied() && router.hasApplyTime()) {
                    Instant at = Instant.ofEpochSecond(router.getApplyTime().getSeconds(), router.getApplyTime().getNanos());
                    b.append(String.format("%n  router %s reports it applied revision %d %d ms after the call returned.",
                            router.getRouterId(), revision, Duration.between(enforceReturned, at).toMillis()));
                }
            }
            return b.toString();
        } catch (StatusRuntimeException e) {
            return ""; // acknowledgements not tracked by this entitlement-service (yet)
        }
    }

    private static Row ask(String who, String when, RouterClient client) {
        try {
            GenerateResponse response = client.generate(MODEL, false);
            Decision d = response.getDecision();
            return new Row(who, when, MODEL, RouterClient.outcome(d), response.getServedModel(), RouterClient.reasons(d));
        } catch (StatusRuntimeException e) {
            return new Row(who, when, MODEL, e.getStatus().getCode().name(), "-", StatusText.describe(e));
        }
    }

    private static void printHowToCall(Suite suite, ScenarioLoader.Result loaded) {
        int router = suite.router().grpcPort();
        OUT.println("Call the router yourself (server reflection is on; users: alice bogdan chen dana emre frank"
                + " grace hiro officer officer2; demo password " + TokenClient.DEMO_PASSWORD + "):");
        OUT.println();
        OUT.println("  TOKEN=$(curl -s -d grant_type=password -d client_id=" + TokenClient.CLI_CLIENT
                + " -d username=bogdan -d password=" + TokenClient.DEMO_PASSWORD + " \\");
        OUT.println("    " + suite.keycloak().tokenEndpoint() + " | jq -r .access_token)");
        OUT.println("  grpcurl -plaintext -H \"authorization: Bearer $TOKEN\" -d '{\"model\":\"fable-5\"}' \\");
        OUT.println("    localhost:" + router + " clearance.router.v1.ModelRouterService/ExplainAccess");
        OUT.println("  grpcurl -plaintext -H \"authorization: Bearer $TOKEN\" localhost:" + router
                + " clearance.router.v1.ModelRouterService/ListModels");
        loaded.apiKeySecrets().forEach((id, secret) -> OUT.println("  grpcurl -plaintext -H \"x-api-key: " + secret
                + "\" -d '{\"model\":\"fable-5\"}' localhost:" + router
                + " clearance.router.v1.ModelRouterService/ExplainAccess   # " + id));
        OUT.println();
        printHowToPointClients(suite, loaded);
    }

    /** Where the CLI (bin/clearancectl) and the Java SDK find this suite: targets, realm, demo clients. */
    private static void printHowToPointClients(Suite suite, ScenarioLoader.Result loaded) {
        String targets = "--router localhost:" + suite.router().grpcPort() + " --identity localhost:"
                + suite.identity().grpcPort() + " --entitlement localhost:" + suite.entitlement().grpcPort()
                + " --issuer " + suite.keycloak().issuer();
        OUT.println("Point the CLI at it (these targets are its defaults; the session is stored under"
                + " $XDG_CONFIG_HOME/clearance):");
        OUT.println();
        OUT.println("  CLEARANCE_PASSWORD=" + TokenClient.DEMO_PASSWORD + " bin/clearancectl login --username "
                + OFFICER + " \\");
        OUT.println("    " + targets);
        OUT.println("  bin/clearancectl directive list");
        loaded.apiKeySecrets().entrySet().stream().findFirst().ifPresent(key -> OUT.println(
                "  CLEARANCE_API_KEY=" + key.getValue() + " bin/clearancectl explain fable-5   # as " + key.getKey()));
        OUT.println();
        OUT.println("Point the SDK at it: Clearance.builder().target(\"localhost:" + suite.router().grpcPort()
                + "\").plaintext()");
        OUT.println("  .apiKey(<a key above>)  or  .tokenProvider(KeycloakClientCredentials.forRealm(\""
                + suite.keycloak().issuer() + "\", <client id>, <secret>))");
        OUT.println();
    }
}
