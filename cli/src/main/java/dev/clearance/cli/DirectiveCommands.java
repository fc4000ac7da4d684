package dev.clearance.cli;

import dev.clearance.entitlement.v1.ApproveDirectiveRequest;
import dev.clearance.entitlement.v1.ApproveDirectiveResponse;
import dev.clearance.entitlement.v1.CreateDirectiveRequest;
import dev.clearance.entitlement.v1.ImpactedCaller;
import dev.clearance.entitlement.v1.ModelImpact;
import dev.clearance.entitlement.v1.PreviewDirectiveImpactRequest;
import dev.clearance.entitlement.v1.PreviewDirectiveImpactResponse;
import dev.clearance.entitlement.v1.SuspendDirectiveRequest;
import dev.clearance.entitlement.v1.SuspendDirectiveResponse;
import dev.clearance.entitlement.v1.CreateDirectiveResponse;
import dev.clearance.entitlement.v1.Directive;
import dev.clearance.entitlement.v1.EnforceDirectiveRequest;
import dev.clearance.entitlement.v1.EnforceDirectiveResponse;
import dev.clearance.entitlement.v1.GetDirectiveRequest;
import dev.clearance.entitlement.v1.GetPropagationStatusRequest;
import dev.clearance.entitlement.v1.GetPropagationStatusResponse;
import dev.clearance.entitlement.v1.ListDirectivesRequest;
import dev.clearance.entitlement.v1.ListDirectivesResponse;
import dev.clearance.entitlement.v1.PropagationStatus;
import dev.clearance.entitlement.v1.RevokeDirectiveRequest;
import dev.clearance.entitlement.v1.RevokeDirectiveResponse;
import dev.clearance.entitlement.v1.RouterPropagation;
import dev.clearance.entitlement.v1.ShadowDirectiveRequest;
import dev.clearance.entitlement.v1.ShadowDirectiveResponse;
import io.grpc.StatusRuntimeException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** {@code directive create|get|list|shadow|enforce|revoke|status}. */
@Command(name = "directive", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        description = "Emergency directives: create from a file, move through their lifecycle, and see how far a"
                + " change has reached the routers.",
        subcommands = {DirectiveCommands.Create.class, DirectiveCommands.Get.class, DirectiveCommands.ListCmd.class,
                DirectiveCommands.Preview.class, DirectiveCommands.Shadow.class, DirectiveCommands.Enforce.class,
                DirectiveCommands.Approve.class, DirectiveCommands.Suspend.class, DirectiveCommands.Revoke.class,
                DirectiveCommands.Status.class})
final class DirectiveCommands extends Clearancectl.Group {

    static final String COLLECTION = "directives";
    static final List<Output.Column> COLUMNS = List.of(new Output.Column("NAME", "name"),
            new Output.Column("STATE", "state"), new Output.Column("SUBJECTS", "subjects.kind"),
            new Output.Column("EFFECTIVE", "effective_time"), new Output.Column("CITATION", "citation"));

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Creates a directive (DRAFT) from a YAML or JSON file with the fields of"
                    + " clearance.entitlement.v1.Directive plus `id`, for example:",
                    "  id: bis-ed-2026-06-12",
                    "  citation: 15 CFR 734.13",
                    "  effective_time: 2026-06-12T21:21:00Z",
                    "  scope: [{family: families/fable, from_version: fable-5}]",
                    "  subjects: {kind: FOREIGN_PERSONS}",
                    "  minimum_assurance: IAL2",
                    "  carve_outs: [licensed_persons]",
                    "A malformed file is reported with its line and field; nothing is sent."})
    static final class Create extends Clearancectl.ApiCommand {
        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "directive.yaml or .json")
        Path file;
        @Option(names = "--id", description = "directive id (overrides the file's `id`)")
        String id;

        @Override
        int run(Api api) {
            ProtoFile.Parsed<Directive> parsed = ProtoFile.read(file, Directive.getDefaultInstance(), Set.of("id"));
            String directiveId = id != null ? id : parsed.extras().get("id");
            if (directiveId == null || directiveId.isBlank()) {
                throw new CliException(ExitCodes.USAGE, file + ": id: required (in the file, or --id)");
            }
            CreateDirectiveResponse r;
            try {
                r = api.entitlement(token()).createDirective(CreateDirectiveRequest.newBuilder()
                        .setDirective(parsed.message()).setDirectiveId(directiveId).build());
            } catch (StatusRuntimeException e) {
                return ServerErrors.report(e, context().err(), parsed, "directive");
            }
            output().resource(output().json() ? r : r.getDirective());
            return ExitCodes.OK;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Shows one directive.")
    static final class Get extends Clearancectl.ApiCommand {
        @Parameters(paramLabel = "DIRECTIVE", description = "id or directives/{id}")
        String name;

        @Override
        int run(Api api) {
            var r = api.entitlement(token()).getDirective(GetDirectiveRequest.newBuilder()
                    .setName(Clearancectl.qualify(COLLECTION, name)).build());
            output().resource(output().json() ? r : r.getDirective());
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists every directive (all pages).")
    static final class ListCmd extends Clearancectl.ApiCommand {
        @Override
        int run(Api api) {
            ListDirectivesResponse.Builder all = ListDirectivesResponse.newBuilder();
            String page = "";
            do {
                ListDirectivesResponse r = api.entitlement(token()).listDirectives(ListDirectivesRequest.newBuilder()
                        .setPageSize(100).setPageToken(page).build());
                all.addAllDirectives(r.getDirectivesList());
                page = r.getNextPageToken();
            } while (!page.isEmpty());
            output().table(all.build(), all.getDirectivesList(), COLUMNS);
            return ExitCodes.OK;
        }
    }

    @Command(name = "shadow", mixinStandardHelpOptions = true,
            description = "DRAFT or SUSPENDED -> SHADOW: evaluated and logged as \"would deny\", never enforced.")
    static final class Shadow extends Clearancectl.ApiCommand {
        @Parameters(paramLabel = "DIRECTIVE")
        String name;
        @Option(names = "--reason", description = "why (recorded with the transition)")
        String reason = "";

        @Override
        int run(Api api) {
            ShadowDirectiveResponse r = api.entitlement(token()).shadowDirective(ShadowDirectiveRequest.newBuilder()
                    .setName(Clearancectl.qualify(COLLECTION, name)).setReason(reason).build());
            return transitioned(output(), r, r.getDirective(), r.getPolicyRevision(), null, false);
        }
    }

    @Command(name = "enforce", mixinStandardHelpOptions = true,
            description = {"Asks to enforce a directive (DRAFT, SHADOW or SUSPENDED): a second compliance officer"
                    + " approves (directive approve) before it is ENFORCED. With --emergency (reason required) it is"
                    + " ENFORCED at once and must be confirmed by a second officer within the window.",
                    "With --wait, also waits (up to 60 s) until every live router applied the new policy revision"
                            + " and shows each router's time; exit code 5 when the wait ended first."})
    static final class Enforce extends Clearancectl.ApiCommand {
        @Parameters(paramLabel = "DIRECTIVE")
        String name;
        @Option(names = "--reason", description = "why (recorded with the transition)")
        String reason = "";
        @Option(names = "--emergency", description = "enforce at once on this officer's word (confirmed later)")
        boolean emergency;
        @Option(names = "--wait", paramLabel = "DURATION", converter = Durations.Converter.class,
                description = "wait for the routers, e.g. 30s (at most 60s)")
        Duration wait;

        @Override
        int run(Api api) {
            EnforceDirectiveRequest.Builder request = EnforceDirectiveRequest.newBuilder()
                    .setName(Clearancectl.qualify(COLLECTION, name)).setReason(reason).setEmergency(emergency);
            var stub = api.entitlement(token());
            if (wait != null) {
                request.setPropagationTimeout(com.google.protobuf.Duration.newBuilder()
                        .setSeconds(wait.getSeconds()).setNanos(wait.getNano()));
                stub = stub.withDeadlineAfter(Api.DEADLINE.plus(wait).toMillis(), TimeUnit.MILLISECONDS);
            }
            EnforceDirectiveResponse r = stub.enforceDirective(request.build());
            return transitioned(output(), r, r.getDirective(), r.getPolicyRevision(),
                    r.hasPropagation() ? r.getPropagation() : null, wait != null);
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = {"A second compliance officer approves a pending enforcement (-> ENFORCED) or confirms an"
                    + " emergency one.", "--wait as for enforce."})
    static final class Approve extends Clearancectl.ApiCommand {
        @Parameters(paramLabel = "DIRECTIVE")
        String name;
        @Option(names = "--reason", description = "why (recorded with the transition)")
        String reason = "";
        @Option(names = "--wait", paramLabel = "DURATION", converter = Durations.Converter.class,
                description = "wait for the routers, e.g. 30s (at most 60s)")
        Duration wait;

        @Override
        int run(Api api) {
            ApproveDirectiveRequest.Builder request = ApproveDirectiveRequest.newBuilder()
                    .setName(Clearancectl.qualify(COLLECTION, name)).setReason(reason);
            var stub = api.entitlement(token());
            if (wait != null) {
                request.setPropagationTimeout(com.google.protobuf.Duration.newBuilder()
                        .setSeconds(wait.getSeconds()).setNanos(wait.getNano()));
                stub = stub.withDeadlineAfter(Api.DEADLINE.plus(wait).toMillis(), TimeUnit.MILLISECONDS);
            }
            ApproveDirectiveResponse r = stub.approveDirective(request.build());
            return transitioned(output(), r, r.getDirective(), r.getPolicyRevision(),
                    r.hasPropagation() ? r.getPropagation() : null, wait != null);
        }
    }

    @Command(name = "suspend", mixinStandardHelpOptions = true,
            description = "ENFORCED -> SUSPENDED (may be enforced again or revoked).")
    static final class Suspend extends Clearancectl.ApiCommand {
        @Parameters(paramLabel = "DIRECTIVE")
        String name;
        @Option(names = "--reason", required = true, description = "why (required)")
        String reason;

        @Override
        int run(Api api) {
            SuspendDirectiveResponse r = api.entitlement(token()).suspendDirective(SuspendDirectiveRequest.newBuilder()
                    .setName(Clearancectl.qualify(COLLECTION, name)).setReason(reason).build());
            return transitioned(output(), r, r.getDirective(), r.getPolicyRevision(), null, false);
        }
    }

    @Command(name = "preview", mixinStandardHelpOptions = true,
            description = "Who a directive would hit if enforced now: per model version the persons and"
                    + " organisations that would lose it, and each caller's fallback. A stored directive by id, or"
                    + " an unsaved one from a file (-f).")
    static final class Preview extends Clearancectl.ApiCommand {
        @Parameters(paramLabel = "DIRECTIVE", arity = "0..1", description = "id or directives/{id}")
        String name;
        @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "an unsaved directive (as for create)")
        Path file;
        @Option(names = "--page-size", description = "impacted callers per page (default 50, at most 1000)")
        int pageSize;
        @Option(names = "--page-token", description = "next page, from a previous answer")
        String pageToken = "";
        // The preview lists every person from identity-service: about 10 s for 100,000 persons on a busy
        // two-core machine, 30 s cold; the default 30 s deadline of other calls is too short for that.
        @Option(names = "--timeout", paramLabel = "DURATION", converter = Durations.Converter.class,
                description = "deadline of the preview call (default 5m)")
        Duration timeout = Duration.ofMinutes(5);

        @Override
        int run(Api api) {
            if ((name == null) == (file == null)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "give a DIRECTIVE or -f FILE");
            }
            PreviewDirectiveImpactRequest.Builder request = PreviewDirectiveImpactRequest.newBuilder()
                    .setPageSize(pageSize).setPageToken(pageToken);
            ProtoFile.Parsed<Directive> parsed = null;
            if (file != null) {
                parsed = ProtoFile.read(file, Directive.getDefaultInstance(), Set.of("id"));
                request.setDirective(parsed.message());
            } else {
                request.setName(Clearancectl.qualify(COLLECTION, name));
            }
            PreviewDirectiveImpactResponse r;
            try {
                r = api.entitlement(token()).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                        .previewDirectiveImpact(request.build());
            } catch (StatusRuntimeException e) {
                return ServerErrors.report(e, context().err(), parsed, "directive");
            }
            Output out = output();
            if (out.json()) {
                out.printJson(r);
                return ExitCodes.OK;
            }
            out.line("evaluated " + r.getPersonsEvaluated() + " persons, " + r.getOrganisationsEvaluated()
                    + " organisations and " + r.getApiKeysEvaluated() + " active API keys at policy revision "
                    + r.getPolicyRevision());
            out.line(r.getRequestHistoryAvailable()
                    ? "last 24 h: " + r.getRequestsDeniedLast24H() + " requests would have been denied, "
                    + r.getRequestsDowngradedLast24H() + " downgraded (" + r.getRequestHistoryNote() + ")"
                    : "last 24 h: unknown (" + r.getRequestHistoryNote() + ")");
            if (r.getModelsCount() == 0) {
                out.line("no caller would lose a model");
                return ExitCodes.OK;
            }
            out.table(r, r.getModelsList(), List.of(new Output.Column("MODEL", "model"),
                    new Output.Column("PERSONS", "persons"), new Output.Column("ORGANISATIONS", "organisations"),
                    new Output.Column("API KEYS", "api_keys")));
            out.line("");
            out.table(r, r.getCallersList(), List.of(new Output.Column("MODEL", "model"),
                    new Output.Column("CALLER", "caller"), new Output.Column("KIND", "kind"),
                    new Output.Column("ORGANISATION", "organisation"), new Output.Column("FALLBACK", "fallback_model"),
                    new Output.Column("KEY OWNER", "api_key_owner")));
            if (!r.getNextPageToken().isEmpty()) {
                out.line("more: --page-token " + r.getNextPageToken());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revokes a directive (any state -> REVOKED; final).")
    static final class Revoke extends Clearancectl.ApiCommand {
        @Parameters(paramLabel = "DIRECTIVE")
        String name;
        @Option(names = "--reason", description = "why (recorded with the transition)")
        String reason = "";

        @Override
        int run(Api api) {
            RevokeDirectiveResponse r = api.entitlement(token()).revokeDirective(RevokeDirectiveRequest.newBuilder()
                    .setName(Clearancectl.qualify(COLLECTION, name)).setReason(reason).build());
            return transitioned(output(), r, r.getDirective(), r.getPolicyRevision(), null, false);
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Propagation per router: has each live router applied the policy revision (default: the"
                    + " current one), and since when.")
    static final class Status extends Clearancectl.ApiCommand {
        @Option(names = "--revision", description = "policy revision (default: current)")
        long revision;

        @Override
        int run(Api api) {
            GetPropagationStatusResponse r = api.entitlement(token()).getPropagationStatus(
                    GetPropagationStatusRequest.newBuilder().setRevision(revision).build());
            if (output().json()) {
                output().printJson(r);
            } else {
                propagation(output(), r.getStatus());
            }
            return ExitCodes.OK;
        }
    }

    /** Shared output of a lifecycle step; also decides exit code 5 for an unfinished wait. */
    static int transitioned(Output out, com.google.protobuf.MessageOrBuilder response, Directive directive,
                            long revision, PropagationStatus propagation, boolean waited) {
        if (out.json()) {
            out.printJson(response);
        } else {
            out.line(directive.getName() + " is " + Output.text(directive.getState()) + " (policy revision " + revision
                    + ")");
            if (directive.hasPendingEnforcement()) {
                out.line("enforcement requested by " + directive.getPendingEnforcement().getRequester()
                        + "; a second compliance officer approves it: clearancectl directive approve "
                        + directive.getName().substring(directive.getName().indexOf('/') + 1));
                return ExitCodes.OK;
            }
            if (directive.hasEmergency() && directive.getEmergency().getConfirmer().isEmpty()) {
                out.line("emergency enforcement by " + directive.getEmergency().getEnforcer() + "; a second officer"
                        + " confirms it (directive approve) before " + Output.text(directive.getEmergency()
                        .getConfirmDeadline()));
            }
            if (propagation != null) {
                propagation(out, propagation);
            }
        }
        if (directive.hasPendingEnforcement()) {
            return ExitCodes.OK; // nothing to propagate until a second officer approves
        }
        return waited && (propagation == null || !propagation.getComplete())
                ? ExitCodes.PROPAGATION_INCOMPLETE : ExitCodes.OK;
    }

    static void propagation(Output out, PropagationStatus status) {
        out.line("revision " + status.getRevision() + ": " + (status.getComplete()
                ? "applied by every live router" : "NOT yet applied by every live router")
                + (status.hasStatusTime() ? " (as of " + Output.text(status.getStatusTime()) + ")" : ""));
        if (status.getRoutersCount() == 0) {
            out.line("no router is connected");
            return;
        }
        List<List<String>> cells = new ArrayList<>();
        cells.add(List.of("ROUTER", "APPLIED", "APPLY TIME", "LATEST", "LIVE", "REPLICA"));
        for (RouterPropagation p : status.getRoutersList()) {
            cells.add(List.of(p.getRouterId(), p.getApplied() ? "yes" : "no",
                    p.hasApplyTime() ? Output.text(p.getApplyTime()) : "-", Long.toString(p.getLatestRevision()),
                    p.getLive() ? "yes" : "no", p.getReplica()));
        }
        out.printCells(cells);
    }
}
