package dev.clearance.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** Runs clearancectl in-process with its own session directory and environment; captures out and err. */
final class CliRunner {

    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    private final Path configHome;
    private final Map<String, String> env = new HashMap<>();
    private Clock clock = Clock.systemUTC();
    private OidcClient.Sleeper sleeper = d -> { };

    CliRunner(Path configHome) {
        this.configHome = configHome;
        env.put("XDG_CONFIG_HOME", configHome.toString());
    }

    CliRunner env(String name, String value) {
        env.put(name, value);
        return this;
    }

    CliRunner clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    SessionStore store() {
        return SessionStore.fromEnvironment(env);
    }

    /** How the device flow waits between polls (the default does not wait: scripted endpoints answer at once). */
    CliRunner sleeper(OidcClient.Sleeper sleeper) {
        this.sleeper = sleeper;
        return this;
    }

    Result run(String... args) {
        return run(new StringWriter(), args);
    }

    /** As {@link #run(String...)}, writing err to {@code err}, which another thread may read while this runs. */
    Result run(StringWriter err, String... args) {
        StringWriter out = new StringWriter();
        Context context = new Context(env, new PrintWriter(out), new PrintWriter(err), store(), clock,
                OidcClient::new, sleeper);
        int code = Clearancectl.run(context, args);
        return new Result(code, out.toString(), err.toString());
    }
}
