package dev.clearance.cli;

import dev.clearance.common.v1.CallerIdentity;
import dev.clearance.common.v1.Decision;
import dev.clearance.common.v1.Reason;
import dev.clearance.entitlement.v1.CheckRequest;
import dev.clearance.entitlement.v1.CheckResponse;
import dev.clearance.router.v1.ExplainAccessRequest;
import dev.clearance.router.v1.ExplainAccessResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code check} (entitlement-service, any subject) and {@code explain} (the router, as the caller). */
final class DecisionCommands {

    private DecisionCommands() {
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Decides whether a subject may use a model, with the evaluator the routers run"
                    + " (entitlement-service Check), and explains why.")
    static final class Check extends Clearancectl.ApiCommand {
        @Parameters(index = "0", paramLabel = "SUBJECT", description = "persons/{id} or apiKeys/{id} (a bare id is a person)")
        String subject;
        @Parameters(index = "1", paramLabel = "MODEL", description = "version or alias")
        String model;
        @Option(names = "--no-fallback", description = "refuse instead of serving an older version")
        boolean noFallback;
        @Option(names = "--region", paramLabel = "CC", description = "country the request would come from")
        String region = "";

        @Override
        int run(Api api) {
            CheckResponse r = api.entitlement(token()).check(CheckRequest.newBuilder()
                    .setSubject(Clearancectl.qualify("persons", subject)).setModel(model)
                    .setForbidFallback(noFallback).setRegionCode(region).build());
            if (output().json()) {
                output().printJson(r);
            } else {
                decision(output(), r.getDecision(), r.hasCaller() ? r.getCaller() : null);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "explain", mixinStandardHelpOptions = true,
            description = {"Asks the router what it would decide for a model and why (ExplainAccess), as the caller:"
                    + " with --api-key (or $" + Context.API_KEY_ENV + "), else with the logged-in token.",
                    "A DENY is an answer, not a failure: the exit code is 0."})
    static final class Explain extends Clearancectl.ApiCommand {
        @Parameters(paramLabel = "MODEL", description = "version or alias")
        String model;
        @Option(names = "--api-key", paramLabel = "SECRET", description = "the caller's API key (prefer $"
                + Context.API_KEY_ENV + ": a secret on the command line is visible to others)")
        String apiKey;
        @Option(names = "--no-fallback", description = "refuse instead of serving an older version")
        boolean noFallback;

        @Override
        int run(Api api) {
            String key = Optional.ofNullable(apiKey).or(() -> context().env(Context.API_KEY_ENV)).orElse(null);
            ExplainAccessResponse r = api.router(key == null ? token() : null, key).explainAccess(
                    ExplainAccessRequest.newBuilder().setModel(model).setForbidFallback(noFallback).build());
            if (output().json()) {
                output().printJson(r);
            } else {
                decision(output(), r.getDecision(), null);
            }
            return ExitCodes.OK;
        }
    }

    /** A decision for people: outcome, models, revisions, then every reason in order. */
    static void decision(Output out, Decision d, CallerIdentity caller) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("outcome", Output.text(d.getOutcome())));
        rows.add(List.of("requested", d.getRequestedModel().getRequested()
                + (d.getRequestedModel().getVersion().isEmpty()
                || d.getRequestedModel().getVersion().equals(d.getRequestedModel().getRequested())
                ? "" : " (" + d.getRequestedModel().getVersion() + ")")));
        rows.add(List.of("served", d.getServedModel().isEmpty() ? "-" : d.getServedModel()));
        if (caller != null) {
            rows.add(List.of("caller", Output.text(caller)));
        }
        rows.add(List.of("revision", "policy " + d.getPolicyRevision() + ", identity " + d.getIdentityRevision()));
        rows.add(List.of("decision", d.getDecisionId()));
        int width = rows.stream().mapToInt(r -> r.get(0).length()).max().orElse(0);
        for (List<String> r : rows) {
            out.line(String.format("%-" + width + "s  %s", r.get(0), r.get(1)));
        }
        reasons(out, "reasons", d.getReasonsList());
        reasons(out, "shadow (would deny, not enforced)", d.getShadowReasonsList());
    }

    private static void reasons(Output out, String heading, List<Reason> reasons) {
        if (reasons.isEmpty()) {
            return;
        }
        out.line(heading + ":");
        for (Reason r : reasons) {
            StringBuilder b = new StringBuilder("  ").append(Output.text(r.getCode()));
            if (!r.getModel().isEmpty()) {
                b.append(' ').append(r.getModel());
            }
            if (!r.getDirective().isEmpty()) {
                b.append(' ').append(r.getDirective());
            }
            if (!r.getCitation().isEmpty()) {
                b.append(" [").append(r.getCitation()).append(']');
            }
            if (!r.getMessage().isEmpty()) {
                b.append(": ").append(r.getMessage());
            }
            out.line(b.toString());
        }
    }
}
