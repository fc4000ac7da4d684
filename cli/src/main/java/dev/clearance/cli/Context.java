package dev.clearance.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Everything a command reads from outside: environment, output streams, the session file, the clock, how to
 * talk to the realm. {@link Main} builds the real one; tests build their own (no process-wide state).
 */
public final class Context {

    /** Client credentials for scripts, read when {@code login} gets no options and when a token must be renewed. */
    public static final String CLIENT_ID_ENV = "CLEARANCE_CLIENT_ID";
    public static final String CLIENT_SECRET_ENV = "CLEARANCE_CLIENT_SECRET";
    /** A demo user's password for {@code login --username}. */
    public static final String PASSWORD_ENV = "CLEARANCE_PASSWORD";
    /** The caller's API key for {@code explain}. */
    public static final String API_KEY_ENV = "CLEARANCE_API_KEY";
    /** Seconds of validity under which a stored access token is renewed before a call. */
    static final long RENEW_BEFORE_SECONDS = 30;

    private final Map<String, String> env;
    private final PrintWriter out;
    private final PrintWriter err;
    private final SessionStore store;
    private final Clock clock;
    private final Function<String, OidcClient> oidc;
    private final OidcClient.Sleeper sleeper;

    public Context(Map<String, String> env, PrintWriter out, PrintWriter err, SessionStore store, Clock clock,
                   Function<String, OidcClient> oidc, OidcClient.Sleeper sleeper) {
        this.env = Map.copyOf(env);
        this.out = out;
        this.err = err;
        this.store = store;
        this.clock = clock;
        this.oidc = oidc;
        this.sleeper = sleeper;
    }

    public static Context system(PrintWriter out, PrintWriter err) {
        Map<String, String> env = System.getenv();
        return new Context(env, out, err, SessionStore.fromEnvironment(env), Clock.systemUTC(), OidcClient::new,
                d -> Thread.sleep(d.toMillis()));
    }

    public Optional<String> env(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    public SessionStore store() {
        return store;
    }

    public Clock clock() {
        return clock;
    }

    public OidcClient oidc(String issuer) {
        return oidc.apply(issuer);
    }

    public OidcClient.Sleeper sleeper() {
        return sleeper;
    }

    long now() {
        return clock.instant().getEpochSecond();
    }

    /** The stored targets, or {@code bin/up}'s when nobody logged in. */
    public Targets targets() {
        return store.load().map(Session::targets).orElse(Targets.defaults());
    }

    /**
     * A valid access token: the stored one, else renewed with the refresh token, else with client credentials
     * from the environment; otherwise {@link ExitCodes#NOT_LOGGED_IN}.
     */
    public String accessToken() {
        Session session = store.load().orElseThrow(() -> new CliException(ExitCodes.NOT_LOGGED_IN,
                "not logged in: run clearancectl login (client credentials or --device)"));
        long now = now();
        if (session.expiresAt() - now > RENEW_BEFORE_SECONDS) {
            return session.accessToken();
        }
        OidcClient realm = oidc(session.targets().issuer());
        Tokens renewed = null;
        if (session.refreshToken() != null && (session.refreshExpiresAt() == 0 || session.refreshExpiresAt() > now)) {
            try {
                renewed = realm.refresh(session.clientId(), session.refreshToken());
            } catch (CliException e) {
                if (e.exitCode() == ExitCodes.UNREACHABLE) {
                    throw e;
                }
                // refresh refused (session ended at the realm): fall through to client credentials, if any
            }
        }
        if (renewed == null && "client_credentials".equals(session.grant())) {
            Optional<String> id = env(CLIENT_ID_ENV);
            Optional<String> secret = env(CLIENT_SECRET_ENV);
            if (id.isPresent() && secret.isPresent() && id.get().equals(session.clientId())) {
                renewed = realm.clientCredentials(id.get(), secret.get());
            }
        }
        if (renewed == null) {
            throw new CliException(ExitCodes.NOT_LOGGED_IN, "the session expired: run clearancectl login again"
                    + ("client_credentials".equals(session.grant()) ? " (or set " + CLIENT_ID_ENV + " and "
                    + CLIENT_SECRET_ENV + " so it renews itself)" : ""));
        }
        Session updated = session.withTokens(renewed, now);
        store.save(updated);
        return updated.accessToken();
    }
}
