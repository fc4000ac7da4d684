package dev.clearance.cli;

import dev.clearance.entitlement.v1.CountryGroupTable;
import dev.clearance.entitlement.v1.ListCountryGroupTablesRequest;
import dev.clearance.entitlement.v1.ListCountryGroupTablesResponse;
import dev.clearance.entitlement.v1.LoadCountryGroupTableRequest;
import dev.clearance.entitlement.v1.LoadCountryGroupTableResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code country-groups load|list}: dated EAR country-group tables (15 CFR 740 Supp. 1). */
@Command(name = "country-groups", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        description = "Dated EAR country-group tables: load a newer one, list what is loaded and in force.",
        subcommands = {CountryGroupCommands.Load.class, CountryGroupCommands.ListCmd.class})
final class CountryGroupCommands extends Clearancectl.Group {

    static final List<Output.Column> COLUMNS = List.of(new Output.Column("NAME", "name"),
            new Output.Column("EFFECTIVE", "effective_date"), new Output.Column("IN FORCE", "in_force"),
            new Output.Column("LOADED BY", "loaded_by"), new Output.Column("LOADED", "load_time"),
            new Output.Column("REVISION", "policy_revision"), new Output.Column("REASON", "reason"));

    @Command(name = "load", mixinStandardHelpOptions = true,
            description = {"Loads a dated table (JSON, the shape of ear-country-groups.json: ecfr_issue_date, groups,"
                    + " comprehensive_embargoes). In force from its date when no newer table is; an older one is"
                    + " stored but does not replace a newer one."})
    static final class Load extends Clearancectl.ApiCommand {
        @Parameters(paramLabel = "FILE", description = "the table as JSON")
        Path file;
        @Option(names = "--reason", description = "why (recorded in the change log)")
        String reason = "";

        @Override
        int run(Api api) {
            String document;
            try {
                document = Files.readString(file);
            } catch (IOException e) {
                throw new CliException(ExitCodes.USAGE, file + ": cannot read (" + e.getMessage() + ")");
            }
            LoadCountryGroupTableResponse r = api.entitlement(token()).loadCountryGroupTable(
                    LoadCountryGroupTableRequest.newBuilder().setDocument(document).setReason(reason).build());
            if (output().json()) {
                output().printJson(r);
                return ExitCodes.OK;
            }
            CountryGroupTable t = r.getTable();
            output().line("loaded " + t.getName() + " at policy revision " + r.getPolicyRevision() + ": "
                    + (t.getInForce() ? "in force now" : "stored, not in force (a newer table is, or its date is ahead)"));
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists loaded tables, newest first (all pages), and the one in force.")
    static final class ListCmd extends Clearancectl.ApiCommand {
        @Override
        int run(Api api) {
            ListCountryGroupTablesResponse.Builder all = ListCountryGroupTablesResponse.newBuilder();
            String page = "";
            do {
                ListCountryGroupTablesResponse r = api.entitlement(token()).listCountryGroupTables(
                        ListCountryGroupTablesRequest.newBuilder().setPageSize(EntitlementCommands.PAGE)
                                .setPageToken(page).build());
                all.addAllTables(r.getTablesList()).setInForce(r.getInForce());
                page = r.getNextPageToken();
            } while (!page.isEmpty());
            output().table(all.build(), all.getTablesList(), COLUMNS);
            if (!output().json()) {
                CountryGroupTable inForce = all.getInForce();
                output().line("in force: " + inForce.getName() + (inForce.getShipped() ? " (shipped with the service)" : ""));
            }
            return ExitCodes.OK;
        }
    }
}
