package dev.clearance.cli;

import io.grpc.StatusRuntimeException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** The root command: global help, the subcommands, and how failures become messages and exit codes. */
@Command(name = "clearancectl", mixinStandardHelpOptions = true, version = "clearancectl 0.1.0",
        description = "Administers Clearance: log in, then manage directives, entitlements, persons and evidence,"
                + " and ask for decisions.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {
                LoginCommands.Login.class, LoginCommands.Logout.class,
                DirectiveCommands.class,
                EntitlementCommands.GrantCommand.class, EntitlementCommands.LicenceCommand.class,
                EntitlementCommands.TierCommand.class, EntitlementCommands.ProgrammeCommand.class,
                CountryGroupCommands.class,
                IdentityCommands.PersonCommand.class, IdentityCommands.ApiKeyCommand.class, IdentityCommands.Verify.class,
                DecisionCommands.Check.class, DecisionCommands.Explain.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:ok",
                "1:the server refused the call (INVALID_ARGUMENT, PERMISSION_DENIED, NOT_FOUND,"
                        + " FAILED_PRECONDITION, ...)",
                "2:usage error or malformed input file (nothing was sent)",
                "3:a service or Keycloak is unreachable (UNAVAILABLE, DEADLINE_EXCEEDED)",
                "4:not logged in, session expired, or UNAUTHENTICATED",
                "5:--wait ended before every live router applied the change (the change itself is stored)"})
public final class Clearancectl implements Runnable {

    private final Context context;

    @Spec
    CommandSpec spec;

    public Clearancectl(Context context) {
        this.context = context;
    }

    public Context context() {
        return context;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command");
    }

    /** Runs {@code args} and returns the exit code. Nothing here calls {@code System.exit}. */
    public static int run(Context context, String... args) {
        CommandLine cl = new CommandLine(new Clearancectl(context));
        cl.setOut(context.out());
        cl.setErr(context.err());
        cl.setExecutionExceptionHandler((e, command, parsed) -> failure(e, context));
        int code = cl.execute(args);
        context.out().flush();
        context.err().flush();
        return code;
    }

    static int failure(Exception e, Context context) {
        if (e instanceof StatusRuntimeException s) {
            return ServerErrors.report(s, context.err(), null, null);
        }
        if (e instanceof CliException c) {
            context.err().println("error: " + c.getMessage());
            context.err().flush();
            return c.exitCode();
        }
        // A bug of ours: say what, not a stack trace (CLEARANCE_DEBUG=1 shows it).
        context.err().println("error: clearancectl failed: " + e);
        if (context.env("CLEARANCE_DEBUG").isPresent()) {
            e.printStackTrace(context.err());
        }
        context.err().flush();
        return ExitCodes.REFUSED;
    }

    /** A group of subcommands ({@code directive}, {@code tier}, ...): on its own, a usage error. */
    abstract static class Group implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand of "
                    + spec.qualifiedName() + ": " + String.join(", ", spec.subcommands().keySet()));
        }
    }

    /** A command that calls the services: output option, context, channels closed afterwards. */
    abstract static class ApiCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = {"-o", "--output"}, defaultValue = "table", paramLabel = "FORMAT",
                description = "table (default) or json (the proto JSON of the response)")
        Output.Format format;

        Context context() {
            return ((Clearancectl) spec.root().userObject()).context();
        }

        Output output() {
            return new Output(context().out(), format);
        }

        @Override
        public Integer call() {
            try (Api api = new Api(context().targets())) {
                return run(api);
            }
        }

        abstract int run(Api api);

        /** The logged-in caller's access token (renewed if needed), or exit 4. */
        String token() {
            return context().accessToken();
        }
    }

    /** {@code alice} → {@code persons/alice}; a name with a slash is kept. */
    static String qualify(String collection, String idOrName) {
        return idOrName.contains("/") ? idOrName : collection + "/" + idOrName;
    }
}
