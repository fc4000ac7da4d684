package dev.clearance.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code login} and {@code logout}. */
final class LoginCommands {

    /** The realm's public client that offers the device flow (and the demo password grant). */
    static final String DEVICE_CLIENT = "clearance-cli";

    private LoginCommands() {
    }

    @Command(name = "login", mixinStandardHelpOptions = true,
            description = {"Logs in to the Keycloak realm and stores the token (and refresh token) and the targets in"
                    + " $XDG_CONFIG_HOME/clearance/session.json (owner-only).",
                    "Client credentials (a service account): --client-id/--client-secret, or the environment"
                            + " variables " + Context.CLIENT_ID_ENV + "/" + Context.CLIENT_SECRET_ENV
                            + " (preferred: a secret on the command line is visible to other users of the machine)."
                            + " With the variables set, an expired token is renewed by itself.",
                    "Device flow (a person): --device prints a URL and a code to approve in a browser, then waits.",
                    "Demo realm only: --username logs a person in with their password ($" + Context.PASSWORD_ENV
                            + ", else prompted) through " + DEVICE_CLIENT + " (the password grant; real realms"
                            + " turn it off)."})
    static final class Login implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--client-id", description = "service-account client (default: $" + Context.CLIENT_ID_ENV
                + "; with --device: " + DEVICE_CLIENT + ")")
        String clientId;
        @Option(names = "--client-secret", description = "its secret (default: $" + Context.CLIENT_SECRET_ENV + ")")
        String clientSecret;
        @Option(names = "--device", description = "log in as a person through the OAuth device flow")
        boolean device;
        @Option(names = "--username", description = "demo realm: log in as this person with their password")
        String username;
        @Option(names = "--identity", paramLabel = "HOST:PORT", description = "identity-service (default: stored, else "
                + Targets.DEFAULT_IDENTITY + ")")
        String identity;
        @Option(names = "--entitlement", paramLabel = "HOST:PORT", description = "entitlement-service (default: stored,"
                + " else " + Targets.DEFAULT_ENTITLEMENT + ")")
        String entitlement;
        @Option(names = "--router", paramLabel = "HOST:PORT", description = "model-router (default: stored, else "
                + Targets.DEFAULT_ROUTER + ")")
        String router;
        @Option(names = "--issuer", paramLabel = "URL", description = "Keycloak realm (default: stored, else "
                + Targets.DEFAULT_ISSUER + ")")
        String issuer;
        @Option(names = "--tls", negatable = true, description = "TLS to the gRPC targets (default: stored, else off,"
                + " as bin/up serves plaintext)")
        Boolean tls;
        @Option(names = {"-o", "--output"}, defaultValue = "table", paramLabel = "FORMAT", description = "table or json")
        Output.Format format;

        @Override
        public Integer call() {
            Context context = ((Clearancectl) spec.root().userObject()).context();
            Targets stored = context.store().load().map(Session::targets).orElse(Targets.defaults());
            Targets targets = new Targets(or(identity, stored.identity()), or(entitlement, stored.entitlement()),
                    or(router, stored.router()), or(issuer, stored.issuer()), tls != null ? tls : stored.tls());
            OidcClient realm = context.oidc(targets.issuer());
            String client;
            String grant;
            Tokens tokens;
            if (username != null) {
                if (device || clientSecret != null) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                            "--username takes neither --device nor --client-secret");
                }
                String password = context.env(Context.PASSWORD_ENV).orElseGet(() -> {
                    java.io.Console console = System.console();
                    if (console == null) {
                        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--username needs the"
                                + " password in $" + Context.PASSWORD_ENV + " (no terminal to ask on)");
                    }
                    char[] typed = console.readPassword("Password for %s: ", username);
                    return typed == null ? "" : new String(typed);
                });
                client = or(clientId, DEVICE_CLIENT);
                grant = "password";
                tokens = realm.password(client, username, password);
            } else if (device) {
                if (clientSecret != null) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                            "--device logs in a person through a public client; it takes no --client-secret");
                }
                client = or(clientId, DEVICE_CLIENT);
                grant = "device";
                OidcClient.DeviceAuthorization authorization = realm.startDevice(client);
                PrintWriter err = context.err();
                err.println("To log in, open " + authorization.verificationUri() + " and enter the code "
                        + authorization.userCode());
                if (!authorization.verificationUriComplete().isEmpty()) {
                    err.println("  (or open " + authorization.verificationUriComplete() + ")");
                }
                err.print("Waiting for approval (the code expires in " + authorization.expiresIn() + " s) ");
                err.flush();
                tokens = realm.pollDevice(client, authorization, context.sleeper(), err);
                err.println();
            } else {
                client = Optional.ofNullable(clientId).or(() -> context.env(Context.CLIENT_ID_ENV)).orElse(null);
                String secret = Optional.ofNullable(clientSecret).or(() -> context.env(Context.CLIENT_SECRET_ENV))
                        .orElse(null);
                if (client == null || secret == null) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give a service account"
                            + " (--client-id and --client-secret, or " + Context.CLIENT_ID_ENV + " and "
                            + Context.CLIENT_SECRET_ENV + "), or log in as a person with --device");
                }
                grant = "client_credentials";
                tokens = realm.clientCredentials(client, secret);
            }
            long now = context.now();
            Session session = new Session(targets, client, grant, null, 0, null, 0).withTokens(tokens, now);
            context.store().save(session);
            String who = Optional.ofNullable(Api.actorLabel(session.accessToken())).orElse(client);
            Instant until = Instant.ofEpochSecond(session.expiresAt());
            if (format == Output.Format.json) {
                ObjectNode json = new ObjectMapper().createObjectNode();
                json.put("issuer", targets.issuer());
                json.put("clientId", client);
                json.put("grant", grant);
                json.put("actor", who);
                json.put("expireTime", until.toString());
                json.put("refreshable", session.refreshToken() != null);
                json.put("sessionFile", context.store().file().toString());
                context.out().println(json.toPrettyString());
            } else {
                context.out().println("Logged in to " + targets.issuer() + " as " + who + " (" + grant.replace('_', ' ')
                        + "); token valid until " + until + (session.refreshToken() != null ? ", refreshable" : ""));
                context.out().println("Targets: router " + targets.router() + ", identity " + targets.identity()
                        + ", entitlement " + targets.entitlement() + (targets.tls() ? " (TLS)" : " (plaintext)"));
                context.out().println("Session stored in " + context.store().file());
            }
            context.out().flush();
            return ExitCodes.OK;
        }

        private static String or(String value, String fallback) {
            return value == null || value.isBlank() ? fallback : value;
        }
    }

    @Command(name = "logout", mixinStandardHelpOptions = true, description = "Deletes the stored session.")
    static final class Logout implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Context context = ((Clearancectl) spec.root().userObject()).context();
            boolean existed = context.store().delete();
            context.out().println(existed ? "Logged out (deleted " + context.store().file() + ")" : "Not logged in");
            context.out().flush();
            return ExitCodes.OK;
        }
    }
}
