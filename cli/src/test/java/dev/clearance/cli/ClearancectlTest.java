package dev.clearance.cli;

import com.google.protobuf.Any;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import dev.clearance.common.v1.Decision;
import dev.clearance.common.v1.ModelReference;
import dev.clearance.common.v1.Outcome;
import dev.clearance.common.v1.Reason;
import dev.clearance.common.v1.ReasonCode;
import dev.clearance.entitlement.v1.Directive;
import dev.clearance.entitlement.v1.DirectiveState;
import dev.clearance.entitlement.v1.ListDirectivesResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI without servers: usage, exit codes, the session file, output formats, how refusals are printed. */
class ClearancectlTest {

    @TempDir
    Path home;

    private CliRunner cli() {
        return new CliRunner(home);
    }

    private static Session session(Targets targets, long expiresAt) {
        return new Session(targets, "clearance-automation", "client_credentials", jwt("officer"), expiresAt, null, 0);
    }

    /** An unsigned token with a preferred_username: enough for the actor label, never verified by the CLI. */
    static String jwt(String user) {
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"none\"}".getBytes()) + "."
                + b64.encodeToString(("{\"preferred_username\":\"" + user + "\"}").getBytes()) + ".";
    }

    @Test
    void usageErrorsExitWith2() {
        CliRunner.Result none = cli().run();
        assertEquals(ExitCodes.USAGE, none.code(), none.toString());
        assertTrue(none.err().contains("Missing command"), none.toString());
        CliRunner.Result unknown = cli().run("directive", "enforce", "x", "--bogus");
        assertEquals(ExitCodes.USAGE, unknown.code(), unknown.toString());
        assertTrue(unknown.err().contains("Unknown option: '--bogus'"), unknown.toString());
        CliRunner.Result group = cli().run("directive");
        assertEquals(ExitCodes.USAGE, group.code(), group.toString());
        assertTrue(group.err().contains("Missing subcommand of clearancectl directive: create, get, list"),
                group.toString());
        CliRunner.Result badWait = cli().run("directive", "enforce", "x", "--wait", "soon");
        assertEquals(ExitCodes.USAGE, badWait.code(), badWait.toString());
        CliRunner.Result loginWithoutCredentials = cli().run("login");
        assertEquals(ExitCodes.USAGE, loginWithoutCredentials.code(), loginWithoutCredentials.toString());
        assertTrue(loginWithoutCredentials.err().contains("--device"), loginWithoutCredentials.toString());
    }

    @Test
    void helpListsTheExitCodes() {
        CliRunner.Result help = cli().run("--help");
        assertEquals(ExitCodes.OK, help.code());
        assertTrue(help.out().contains("Exit codes:") && help.out().contains("4   not logged in"), help.out());
    }

    @Test
    void anAdminCallWithoutASessionExitsWith4AndSaysHowToLogIn() {
        CliRunner.Result r = cli().run("directive", "list");
        assertEquals(ExitCodes.NOT_LOGGED_IN, r.code(), r.toString());
        assertEquals("error: not logged in: run clearancectl login (client credentials or --device)\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void anExpiredSessionWithoutAWayToRenewExitsWith4() {
        CliRunner cli = cli();
        cli.store().save(session(Targets.defaults(), Instant.now().getEpochSecond() - 5));
        CliRunner.Result r = cli.run("tier", "list");
        assertEquals(ExitCodes.NOT_LOGGED_IN, r.code(), r.toString());
        assertTrue(r.err().contains("the session expired") && r.err().contains(Context.CLIENT_SECRET_ENV),
                r.toString());
    }

    @Test
    void aMalformedDirectiveFileExitsWith2AtItsLineBeforeAnyCallOrLogin() throws IOException {
        Path file = home.resolve("directive.yaml");
        Files.writeString(file, ProtoFileTest.VALID.replace("kind: foreign-persons", "kind: FORIEGN"));
        CliRunner.Result r = cli().run("directive", "create", "-f", file.toString());
        assertEquals(ExitCodes.USAGE, r.code(), r.toString());
        assertEquals("error: " + file + ":12: subjects.kind: unknown value \"FORIEGN\" (one of FOREIGN_PERSONS,"
                + " NON_CITIZENS, NATIONALS_OF)\n", r.err());
    }

    @Test
    void aDirectiveFileWithoutAnIdIsAUsageError() throws IOException {
        Path file = home.resolve("d.json");
        Files.writeString(file, "{\"citation\": \"c\"}");
        CliRunner.Result r = cli().run("directive", "create", "-f", file.toString());
        assertEquals(ExitCodes.USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("id: required"), r.toString());
    }

    @Test
    void anUnreachableServiceExitsWith3WithoutAStackTrace() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        CliRunner cli = cli();
        String target = "localhost:" + closedPort;
        cli.store().save(session(new Targets(target, target, target, Targets.DEFAULT_ISSUER, false),
                Instant.now().getEpochSecond() + 600));
        CliRunner.Result r = cli.run("directive", "get", "x");
        assertEquals(ExitCodes.UNREACHABLE, r.code(), r.toString());
        assertTrue(r.err().startsWith("error: UNAVAILABLE"), r.toString());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r);
    }

    @Test
    void theSessionFileIsOwnerOnly() throws IOException {
        CliRunner cli = cli();
        Session s = session(Targets.defaults(), 123);
        cli.store().save(s);
        Path file = home.resolve("clearance/session.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertEquals(s, cli.store().load().orElseThrow());
        CliRunner.Result logout = cli.run("logout");
        assertEquals(ExitCodes.OK, logout.code());
        assertFalse(Files.exists(file));
    }

    @ParameterizedTest
    @CsvSource({"OK,1", "INVALID_ARGUMENT,1", "PERMISSION_DENIED,1", "NOT_FOUND,1", "FAILED_PRECONDITION,1",
            "ABORTED,1", "INTERNAL,1", "UNAVAILABLE,3", "DEADLINE_EXCEEDED,3", "UNAUTHENTICATED,4"})
    void exitCodesOfServerStatuses(Status.Code code, int exit) {
        assertEquals(exit, ExitCodes.forStatus(code));
    }

    @Test
    void aRefusalPrintsTheReasonAndEachViolationAtItsLineInTheFile() {
        ProtoFile.Parsed<Directive> parsed = ProtoFile.parse("d.yaml", ProtoFileTest.VALID,
                Directive.getDefaultInstance(), Set.of("id"));
        com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
                .setCode(Status.Code.INVALID_ARGUMENT.value()).setMessage("the directive is invalid")
                .addDetails(Any.pack(ErrorInfo.newBuilder().setReason("DIRECTIVE_INVALID")
                        .setDomain("entitlement.clearance.dev").putMetadata("directive", "bis").build()))
                .addDetails(Any.pack(BadRequest.newBuilder()
                        .addFieldViolations(BadRequest.FieldViolation.newBuilder()
                                .setField("directive.scope[1].family").setDescription("unknown family"))
                        .addFieldViolations(BadRequest.FieldViolation.newBuilder()
                                .setField("directive_id").setDescription("taken"))
                        .build()))
                .build();
        StatusRuntimeException e = StatusProto.toStatusRuntimeException(status);
        StringWriter err = new StringWriter();
        int code = ServerErrors.report(e, new PrintWriter(err), parsed, "directive");
        assertEquals(ExitCodes.REFUSED, code);
        assertEquals("""
                error: INVALID_ARGUMENT: the directive is invalid
                  reason: DIRECTIVE_INVALID (entitlement.clearance.dev) {directive=bis}
                  d.yaml:10: directive.scope[1].family: unknown family
                  directive_id: taken
                """, err.toString());
    }

    @Test
    void jsonOutputIsTheProtoJsonOfTheResponseAndParsesBack() throws Exception {
        ListDirectivesResponse response = ListDirectivesResponse.newBuilder()
                .addDirectives(Directive.newBuilder().setName("directives/a").setCitation("15 CFR 734.13")
                        .setState(DirectiveState.DIRECTIVE_STATE_ENFORCED))
                .build();
        StringWriter json = new StringWriter();
        new Output(new PrintWriter(json), Output.Format.json).table(response, response.getDirectivesList(),
                DirectiveCommands.COLUMNS);
        ListDirectivesResponse.Builder back = ListDirectivesResponse.newBuilder();
        JsonFormat.parser().merge(json.toString(), back);
        assertEquals(response, back.build());

        StringWriter table = new StringWriter();
        new Output(new PrintWriter(table), Output.Format.table).table(response, response.getDirectivesList(),
                DirectiveCommands.COLUMNS);
        assertEquals("""
                NAME          STATE     SUBJECTS  EFFECTIVE  CITATION
                directives/a  ENFORCED                       15 CFR 734.13
                """, table.toString());
    }

    @Test
    void aDecisionForPeopleListsItsReasonsInOrder() {
        Decision d = Decision.newBuilder().setOutcome(Outcome.OUTCOME_ALLOW_FALLBACK)
                .setRequestedModel(ModelReference.newBuilder().setRequested("fable-latest").setVersion("fable-5"))
                .setServedModel("fable-4.5").setPolicyRevision(12).setIdentityRevision(3).setDecisionId("d-1")
                .addReasons(Reason.newBuilder().setCode(ReasonCode.REASON_CODE_DIRECTIVE).setModel("fable-5")
                        .setDirective("directives/bis").setCitation("15 CFR 734.13").setMessage("foreign person"))
                .addReasons(Reason.newBuilder().setCode(ReasonCode.REASON_CODE_ENTITLED).setModel("fable-4.5")
                        .setMessage("tier pro"))
                .build();
        StringWriter out = new StringWriter();
        DecisionCommands.decision(new Output(new PrintWriter(out), Output.Format.table), d, null);
        assertEquals("""
                outcome    ALLOW_FALLBACK
                requested  fable-latest (fable-5)
                served     fable-4.5
                revision   policy 12, identity 3
                decision   d-1
                reasons:
                  DIRECTIVE fable-5 directives/bis [15 CFR 734.13]: foreign person
                  ENTITLED fable-4.5: tier pro
                """, out.toString());
    }

    @Test
    void theActorLabelIsTheTokensPreferredUsername() {
        assertEquals("officer", Api.actorLabel(jwt("officer")));
        assertEquals(null, Api.actorLabel("not-a-jwt"));
    }

    @Test
    void resourceIdsAreQualified() {
        assertEquals("persons/alice", Clearancectl.qualify("persons", "alice"));
        assertEquals("apiKeys/k", Clearancectl.qualify("persons", "apiKeys/k"));
    }
    @Test
    void entitlementReadCommandsNeedTheirArgumentsAndListTheirSubcommands() {
        for (String[] args : List.of(new String[] {"grant", "get"}, new String[] {"grant", "delete"},
                new String[] {"licence", "get"}, new String[] {"tier", "get"}, new String[] {"programme", "get"},
                new String[] {"programme", "members"})) {
            CliRunner.Result r = cli().run(args);
            assertEquals(ExitCodes.USAGE, r.code(), r.toString());
            assertTrue(r.err().contains("Missing required parameter"), r.toString());
        }
        assertTrue(cli().run("grant").err().contains("create, list, get, delete"));
        assertTrue(cli().run("licence").err().contains("create, list, get"));
        assertTrue(cli().run("tier").err().contains("create, list, get, subscribe"));
        assertTrue(cli().run("programme").err().contains("create, list, get, members, add-member"));
        assertTrue(cli().run("country-groups").err().contains("load, list"));
        CliRunner.Result noFile = cli().run("country-groups", "load");
        assertEquals(ExitCodes.USAGE, noFile.code(), noFile.toString());
    }

    @Test
    void aCountryGroupFileThatCannotBeReadIsAUsageErrorBeforeAnyCall() {
        CliRunner cli = cli();
        cli.store().save(session(Targets.defaults(), Instant.now().getEpochSecond() + 600));
        CliRunner.Result r = cli.run("country-groups", "load", home.resolve("missing.json").toString());
        assertEquals(ExitCodes.USAGE, r.code(), r.toString());
        assertTrue(r.err().startsWith("error: " + home.resolve("missing.json") + ": cannot read"), r.toString());
    }

    @Test
    void grantsAndLicencesAsTables() {
        dev.clearance.entitlement.v1.ListGrantsResponse grants = dev.clearance.entitlement.v1.ListGrantsResponse
                .newBuilder().addGrants(dev.clearance.entitlement.v1.Grant.newBuilder().setName("grants/g1")
                        .setGrantee("persons/dana").addModelPatterns("lyric-*").addModelPatterns("fable-4")
                        .setEndTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(1798761600))
                        .setReason("pilot")).build();
        StringWriter out = new StringWriter();
        new Output(new PrintWriter(out), Output.Format.table).table(grants, grants.getGrantsList(),
                EntitlementCommands.GRANT_COLUMNS);
        assertEquals("""
                NAME       GRANTEE       MODELS           START  END                   REASON
                grants/g1  persons/dana  lyric-*,fable-4         2027-01-01T00:00:00Z  pilot
                """, out.toString());

        dev.clearance.entitlement.v1.ListLicencesResponse licences = dev.clearance.entitlement.v1.ListLicencesResponse
                .newBuilder().addLicences(dev.clearance.entitlement.v1.Licence.newBuilder().setName("licences/l1")
                        .setKind(dev.clearance.entitlement.v1.LicenceKind.LICENCE_KIND_LICENCE)
                        .setReference("BIS-D-1").addNamedPersons("persons/hiro").addModelPatterns("fable-5"))
                .build();
        StringWriter table = new StringWriter();
        new Output(new PrintWriter(table), Output.Format.table).table(licences, licences.getLicencesList(),
                EntitlementCommands.LICENCE_COLUMNS);
        assertEquals("""
                NAME         KIND     REFERENCE  HOLDER  PERSONS       MODELS   END
                licences/l1  LICENCE  BIS-D-1            persons/hiro  fable-5
                """, table.toString());
    }
}
