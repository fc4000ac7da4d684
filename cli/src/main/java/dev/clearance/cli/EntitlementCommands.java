package dev.clearance.cli;

import dev.clearance.entitlement.v1.CreateGrantRequest;
import dev.clearance.entitlement.v1.CreateGrantResponse;
import dev.clearance.entitlement.v1.CreateLicenceRequest;
import dev.clearance.entitlement.v1.CreateLicenceResponse;
import dev.clearance.entitlement.v1.CreateProgrammeMembershipRequest;
import dev.clearance.entitlement.v1.CreateProgrammeRequest;
import dev.clearance.entitlement.v1.CreateSubscriptionRequest;
import dev.clearance.entitlement.v1.CreateTierRequest;
import dev.clearance.entitlement.v1.DeleteGrantRequest;
import dev.clearance.entitlement.v1.GetGrantRequest;
import dev.clearance.entitlement.v1.GetLicenceRequest;
import dev.clearance.entitlement.v1.GetProgrammeRequest;
import dev.clearance.entitlement.v1.GetTierRequest;
import dev.clearance.entitlement.v1.Grant;
import dev.clearance.entitlement.v1.ListGrantsRequest;
import dev.clearance.entitlement.v1.ListGrantsResponse;
import dev.clearance.entitlement.v1.ListLicencesRequest;
import dev.clearance.entitlement.v1.ListLicencesResponse;
import dev.clearance.entitlement.v1.ListProgrammeMembershipsRequest;
import dev.clearance.entitlement.v1.ListProgrammeMembershipsResponse;
import dev.clearance.entitlement.v1.ListProgrammesRequest;
import dev.clearance.entitlement.v1.ListProgrammesResponse;
import dev.clearance.entitlement.v1.Licence;
import dev.clearance.entitlement.v1.LicenceKind;
import dev.clearance.entitlement.v1.ListTiersRequest;
import dev.clearance.entitlement.v1.ListTiersResponse;
import dev.clearance.entitlement.v1.Programme;
import dev.clearance.entitlement.v1.ProgrammeMembership;
import dev.clearance.entitlement.v1.Subscription;
import dev.clearance.entitlement.v1.Tier;
import io.grpc.StatusRuntimeException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code grant}, {@code licence}, {@code tier}, {@code programme}: what callers are entitled to. */
final class EntitlementCommands {

    /** Page size of the list commands (they fetch every page). */
    static final int PAGE = 100;
    static final List<Output.Column> GRANT_COLUMNS = List.of(new Output.Column("NAME", "name"),
            new Output.Column("GRANTEE", "grantee"), new Output.Column("MODELS", "model_patterns"),
            new Output.Column("START", "start_time"), new Output.Column("END", "end_time"),
            new Output.Column("REASON", "reason"));
    static final List<Output.Column> LICENCE_COLUMNS = List.of(new Output.Column("NAME", "name"),
            new Output.Column("KIND", "kind"), new Output.Column("REFERENCE", "reference"),
            new Output.Column("HOLDER", "holder"), new Output.Column("PERSONS", "named_persons"),
            new Output.Column("MODELS", "model_patterns"), new Output.Column("END", "end_time"));

    private EntitlementCommands() {
    }

    @Command(name = "grant", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
            description = "Direct grants of models to a person, organisation or programme.",
            subcommands = {GrantCommand.Create.class, GrantCommand.ListCmd.class, GrantCommand.Get.class,
                    GrantCommand.Delete.class})
    static final class GrantCommand extends Clearancectl.Group {

        @Command(name = "create", mixinStandardHelpOptions = true,
                description = "Grants models, from options or from a file (-f, fields of clearance.entitlement.v1.Grant).")
        static final class Create extends Clearancectl.ApiCommand {
            @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "grant.yaml or .json")
            Path file;
            @Option(names = "--grantee", description = "persons/{id}, organisations/{id} or programmes/{id}")
            String grantee;
            @Option(names = "--model", split = ",", paramLabel = "PATTERN",
                    description = "model versions or prefixes ending in * (repeatable or comma-separated)")
            List<String> models = List.of();
            @Option(names = "--start", paramLabel = "TIME", description = "RFC 3339 time or date")
            String start;
            @Option(names = "--end", paramLabel = "TIME", description = "RFC 3339 time or date")
            String end;
            @Option(names = "--reason", description = "why (stored with the grant)")
            String reason;

            @Override
            int run(Api api) {
                ProtoFile.Parsed<Grant> parsed = null;
                Grant.Builder grant;
                if (file != null) {
                    parsed = ProtoFile.read(file, Grant.getDefaultInstance(), Set.of());
                    grant = parsed.message().toBuilder();
                } else {
                    grant = Grant.newBuilder();
                }
                if (grantee != null) {
                    grant.setGrantee(grantee);
                }
                grant.addAllModelPatterns(models);
                if (start != null) {
                    grant.setStartTime(IdentityCommands.time("--start", start));
                }
                if (end != null) {
                    grant.setEndTime(IdentityCommands.time("--end", end));
                }
                if (reason != null) {
                    grant.setReason(reason);
                }
                CreateGrantResponse r;
                try {
                    r = api.entitlement(token()).createGrant(CreateGrantRequest.newBuilder().setGrant(grant).build());
                } catch (StatusRuntimeException e) {
                    return ServerErrors.report(e, context().err(), parsed, "grant");
                }
                output().resource(output().json() ? r : r.getGrant());
                return ExitCodes.OK;
            }
        }

        @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists every grant (all pages).")
        static final class ListCmd extends Clearancectl.ApiCommand {
            @Override
            int run(Api api) {
                ListGrantsResponse.Builder all = ListGrantsResponse.newBuilder();
                String page = "";
                do {
                    ListGrantsResponse r = api.entitlement(token()).listGrants(ListGrantsRequest.newBuilder()
                            .setPageSize(PAGE).setPageToken(page).build());
                    all.addAllGrants(r.getGrantsList());
                    page = r.getNextPageToken();
                } while (!page.isEmpty());
                output().table(all.build(), all.getGrantsList(), GRANT_COLUMNS);
                return ExitCodes.OK;
            }
        }

        @Command(name = "get", mixinStandardHelpOptions = true, description = "Shows one grant.")
        static final class Get extends Clearancectl.ApiCommand {
            @Parameters(paramLabel = "GRANT", description = "id or grants/{id}")
            String name;

            @Override
            int run(Api api) {
                var r = api.entitlement(token()).getGrant(GetGrantRequest.newBuilder()
                        .setName(Clearancectl.qualify("grants", name)).build());
                output().resource(output().json() ? r : r.getGrant());
                return ExitCodes.OK;
            }
        }

        @Command(name = "delete", mixinStandardHelpOptions = true,
                description = "Deletes a grant (recorded in the change log with the reason).")
        static final class Delete extends Clearancectl.ApiCommand {
            @Parameters(paramLabel = "GRANT", description = "id or grants/{id}")
            String name;
            @Option(names = "--etag", description = "refuse (ABORTED) unless the grant is still at this etag")
            String etag = "";
            @Option(names = "--reason", description = "why (recorded in the change log)")
            String reason = "";

            @Override
            int run(Api api) {
                String qualified = Clearancectl.qualify("grants", name);
                var r = api.entitlement(token()).deleteGrant(DeleteGrantRequest.newBuilder().setName(qualified)
                        .setEtag(etag).setReason(reason).build());
                if (output().json()) {
                    output().printJson(r);
                } else {
                    output().line("deleted " + qualified);
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "licence", aliases = "license", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
            description = "Export licences naming persons and models (they carve out of directives and entitle).",
            subcommands = {LicenceCommand.Create.class, LicenceCommand.ListCmd.class, LicenceCommand.Get.class})
    static final class LicenceCommand extends Clearancectl.Group {

        @Command(name = "create", mixinStandardHelpOptions = true,
                description = "Records a licence, from options or from a file (-f, fields of"
                        + " clearance.entitlement.v1.Licence).")
        static final class Create extends Clearancectl.ApiCommand {
            @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "licence.yaml or .json")
            Path file;
            @Option(names = "--kind", paramLabel = "KIND", description = "LICENCE or LICENCE_EXCEPTION")
            String kind;
            @Option(names = "--reference", description = "licence number or exception reference")
            String reference;
            @Option(names = "--holder", description = "organisations/{id} holding it")
            String holder;
            @Option(names = "--person", split = ",", paramLabel = "PERSON", description = "persons/{id} named on it")
            List<String> persons = List.of();
            @Option(names = "--model", split = ",", paramLabel = "PATTERN", description = "models it covers")
            List<String> models = List.of();
            @Option(names = "--start", paramLabel = "TIME")
            String start;
            @Option(names = "--end", paramLabel = "TIME")
            String end;

            @Override
            int run(Api api) {
                ProtoFile.Parsed<Licence> parsed = null;
                Licence.Builder licence;
                if (file != null) {
                    parsed = ProtoFile.read(file, Licence.getDefaultInstance(), Set.of());
                    licence = parsed.message().toBuilder();
                } else {
                    licence = Licence.newBuilder();
                }
                if (kind != null) {
                    try {
                        licence.setKind(LicenceKind.valueOf(ProtoFile.enumValue(LicenceKind.getDescriptor(), kind)));
                    } catch (IllegalArgumentException e) {
                        throw new CliException(ExitCodes.USAGE, "--kind: " + e.getMessage());
                    }
                }
                if (reference != null) {
                    licence.setReference(reference);
                }
                if (holder != null) {
                    licence.setHolder(Clearancectl.qualify("organisations", holder));
                }
                persons.forEach(p -> licence.addNamedPersons(Clearancectl.qualify("persons", p)));
                licence.addAllModelPatterns(models);
                if (start != null) {
                    licence.setStartTime(IdentityCommands.time("--start", start));
                }
                if (end != null) {
                    licence.setEndTime(IdentityCommands.time("--end", end));
                }
                CreateLicenceResponse r;
                try {
                    r = api.entitlement(token()).createLicence(CreateLicenceRequest.newBuilder().setLicence(licence)
                            .build());
                } catch (StatusRuntimeException e) {
                    return ServerErrors.report(e, context().err(), parsed, "licence");
                }
                output().resource(output().json() ? r : r.getLicence());
                return ExitCodes.OK;
            }
        }

        @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists every licence (all pages).")
        static final class ListCmd extends Clearancectl.ApiCommand {
            @Override
            int run(Api api) {
                ListLicencesResponse.Builder all = ListLicencesResponse.newBuilder();
                String page = "";
                do {
                    ListLicencesResponse r = api.entitlement(token()).listLicences(ListLicencesRequest.newBuilder()
                            .setPageSize(PAGE).setPageToken(page).build());
                    all.addAllLicences(r.getLicencesList());
                    page = r.getNextPageToken();
                } while (!page.isEmpty());
                output().table(all.build(), all.getLicencesList(), LICENCE_COLUMNS);
                return ExitCodes.OK;
            }
        }

        @Command(name = "get", mixinStandardHelpOptions = true, description = "Shows one licence.")
        static final class Get extends Clearancectl.ApiCommand {
            @Parameters(paramLabel = "LICENCE", description = "id or licences/{id}")
            String name;

            @Override
            int run(Api api) {
                var r = api.entitlement(token()).getLicence(GetLicenceRequest.newBuilder()
                        .setName(Clearancectl.qualify("licences", name)).build());
                output().resource(output().json() ? r : r.getLicence());
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "tier", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
            description = "Commercial tiers and organisations' subscriptions to them.",
            subcommands = {TierCommand.Create.class, TierCommand.ListCmd.class, TierCommand.Get.class,
                    TierCommand.Subscribe.class})
    static final class TierCommand extends Clearancectl.Group {

        @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates a tier.")
        static final class Create extends Clearancectl.ApiCommand {
            @Parameters(paramLabel = "ID", description = "tier id, e.g. pro")
            String id;
            @Option(names = "--display-name")
            String displayName = "";
            @Option(names = "--model", split = ",", paramLabel = "PATTERN", description = "models it includes")
            List<String> models = List.of();

            @Override
            int run(Api api) {
                var r = api.entitlement(token()).createTier(CreateTierRequest.newBuilder().setTierId(id)
                        .setTier(Tier.newBuilder().setDisplayName(displayName).addAllModelPatterns(models)).build());
                output().resource(output().json() ? r : r.getTier());
                return ExitCodes.OK;
            }
        }

        @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists every tier.")
        static final class ListCmd extends Clearancectl.ApiCommand {
            @Override
            int run(Api api) {
                ListTiersResponse.Builder all = ListTiersResponse.newBuilder();
                String page = "";
                do {
                    ListTiersResponse r = api.entitlement(token()).listTiers(ListTiersRequest.newBuilder()
                            .setPageSize(PAGE).setPageToken(page).build());
                    all.addAllTiers(r.getTiersList());
                    page = r.getNextPageToken();
                } while (!page.isEmpty());
                output().table(all.build(), all.getTiersList(), List.of(new Output.Column("NAME", "name"),
                        new Output.Column("DISPLAY NAME", "display_name"),
                        new Output.Column("MODELS", "model_patterns")));
                return ExitCodes.OK;
            }
        }

        @Command(name = "get", mixinStandardHelpOptions = true, description = "Shows one tier.")
        static final class Get extends Clearancectl.ApiCommand {
            @Parameters(paramLabel = "TIER", description = "id or tiers/{id}")
            String name;

            @Override
            int run(Api api) {
                var r = api.entitlement(token()).getTier(GetTierRequest.newBuilder()
                        .setName(Clearancectl.qualify("tiers", name)).build());
                output().resource(output().json() ? r : r.getTier());
                return ExitCodes.OK;
            }
        }

        @Command(name = "subscribe", mixinStandardHelpOptions = true,
                description = "Subscribes an organisation to a tier.")
        static final class Subscribe extends Clearancectl.ApiCommand {
            @Parameters(index = "0", paramLabel = "ORGANISATION", description = "id or organisations/{id}")
            String organisation;
            @Parameters(index = "1", paramLabel = "TIER", description = "id or tiers/{id}")
            String tier;

            @Override
            int run(Api api) {
                var r = api.entitlement(token()).createSubscription(CreateSubscriptionRequest.newBuilder()
                        .setSubscription(Subscription.newBuilder()
                                .setOrganisation(Clearancectl.qualify("organisations", organisation))
                                .setTier(Clearancectl.qualify("tiers", tier))).build());
                output().resource(output().json() ? r : r.getSubscription());
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "programme", aliases = "program", mixinStandardHelpOptions = true,
            synopsisSubcommandLabel = "COMMAND", description = "Vetted programmes and their members.",
            subcommands = {ProgrammeCommand.Create.class, ProgrammeCommand.ListCmd.class, ProgrammeCommand.Get.class,
                    ProgrammeCommand.Members.class, ProgrammeCommand.AddMember.class})
    static final class ProgrammeCommand extends Clearancectl.Group {

        @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates a programme.")
        static final class Create extends Clearancectl.ApiCommand {
            @Parameters(paramLabel = "ID")
            String id;
            @Option(names = "--description")
            String description = "";
            @Option(names = "--model", split = ",", paramLabel = "PATTERN", description = "models it includes")
            List<String> models = List.of();

            @Override
            int run(Api api) {
                var r = api.entitlement(token()).createProgramme(CreateProgrammeRequest.newBuilder().setProgrammeId(id)
                        .setProgramme(Programme.newBuilder().setDescription(description).addAllModelPatterns(models))
                        .build());
                output().resource(output().json() ? r : r.getProgramme());
                return ExitCodes.OK;
            }
        }

        @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists every programme (all pages).")
        static final class ListCmd extends Clearancectl.ApiCommand {
            @Override
            int run(Api api) {
                ListProgrammesResponse.Builder all = ListProgrammesResponse.newBuilder();
                String page = "";
                do {
                    ListProgrammesResponse r = api.entitlement(token()).listProgrammes(ListProgrammesRequest
                            .newBuilder().setPageSize(PAGE).setPageToken(page).build());
                    all.addAllProgrammes(r.getProgrammesList());
                    page = r.getNextPageToken();
                } while (!page.isEmpty());
                output().table(all.build(), all.getProgrammesList(), List.of(new Output.Column("NAME", "name"),
                        new Output.Column("DESCRIPTION", "description"),
                        new Output.Column("MODELS", "model_patterns")));
                return ExitCodes.OK;
            }
        }

        @Command(name = "get", mixinStandardHelpOptions = true, description = "Shows one programme.")
        static final class Get extends Clearancectl.ApiCommand {
            @Parameters(paramLabel = "PROGRAMME", description = "id or programmes/{id}")
            String name;

            @Override
            int run(Api api) {
                var r = api.entitlement(token()).getProgramme(GetProgrammeRequest.newBuilder()
                        .setName(Clearancectl.qualify("programmes", name)).build());
                output().resource(output().json() ? r : r.getProgramme());
                return ExitCodes.OK;
            }
        }

        @Command(name = "members", mixinStandardHelpOptions = true,
                description = "Lists a programme's members (all pages).")
        static final class Members extends Clearancectl.ApiCommand {
            @Parameters(paramLabel = "PROGRAMME", description = "id or programmes/{id}")
            String programme;

            @Override
            int run(Api api) {
                String parent = Clearancectl.qualify("programmes", programme);
                ListProgrammeMembershipsResponse.Builder all = ListProgrammeMembershipsResponse.newBuilder();
                String page = "";
                do {
                    ListProgrammeMembershipsResponse r = api.entitlement(token()).listProgrammeMemberships(
                            ListProgrammeMembershipsRequest.newBuilder().setParent(parent).setPageSize(PAGE)
                                    .setPageToken(page).build());
                    all.addAllMemberships(r.getMembershipsList());
                    page = r.getNextPageToken();
                } while (!page.isEmpty());
                output().table(all.build(), all.getMembershipsList(), List.of(new Output.Column("MEMBER", "member"),
                        new Output.Column("MEMBERSHIP", "name")));
                return ExitCodes.OK;
            }
        }

        @Command(name = "add-member", mixinStandardHelpOptions = true,
                description = "Adds a person or organisation to a programme.")
        static final class AddMember extends Clearancectl.ApiCommand {
            @Parameters(index = "0", paramLabel = "PROGRAMME", description = "id or programmes/{id}")
            String programme;
            @Parameters(index = "1", paramLabel = "MEMBER", description = "persons/{id} or organisations/{id}")
            String member;

            @Override
            int run(Api api) {
                var r = api.entitlement(token()).createProgrammeMembership(CreateProgrammeMembershipRequest.newBuilder()
                        .setParent(Clearancectl.qualify("programmes", programme))
                        .setMembership(ProgrammeMembership.newBuilder().setMember(member)).build());
                output().resource(output().json() ? r : r.getMembership());
                return ExitCodes.OK;
            }
        }
    }
}
