package dev.clearance.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL server started from the zonky binaries on Maven Central (no Docker), with
 * a database {@code clearance} owned by role {@code clearance} (password {@code clearance}).
 * Usable without Quarkus, for example by a launcher that brings the whole system up.
 *
 * <pre>
 * try (EmbeddedDatabase db = EmbeddedDatabase.start()) {
 *     PostgresConnection c = db.connection();
 * }
 * </pre>
 */
public final class EmbeddedDatabase implements AutoCloseable {

    public static final String DATABASE = "clearance";
    public static final String USER = "clearance";
    public static final String PASSWORD = "clearance";

    private final EmbeddedPostgres postgres;
    private final PostgresConnection connection;
    private boolean stopped;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
        this.connection = new PostgresConnection("localhost", postgres.getPort(), DATABASE, USER, PASSWORD);
    }

    /** Starts on a free port with a throw-away data directory. */
    public static EmbeddedDatabase start() {
        return start(0, null);
    }

    /**
     * Starts on {@code port} (0 = any free port). With a {@code dataDirectory} the data survive a
     * restart (the directory is kept and reused); without one a temporary directory is used and
     * deleted on {@link #stop()}.
     */
    public static EmbeddedDatabase start(int port, Path dataDirectory) {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        if (port > 0) {
            builder.setPort(port);
        }
        if (dataDirectory != null) {
            builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
        }
        EmbeddedPostgres postgres;
        try {
            postgres = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL", e);
        }
        try {
            createClearanceDatabase(postgres);
        } catch (SQLException e) {
            closeQuietly(postgres);
            throw new IllegalStateException("could not create the clearance database", e);
        }
        return new EmbeddedDatabase(postgres);
    }

    /** Idempotent, so a kept data directory can be reused. */
    private static void createClearanceDatabase(EmbeddedPostgres postgres) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + USER + "') THEN "
                    + "CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'; END IF; END $$");
            boolean exists;
            try (var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                exists = rs.next();
            }
            if (!exists) {
                s.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
            }
        }
    }

    public PostgresConnection connection() {
        return connection;
    }

    public String jdbcUrl() {
        return connection.jdbcUrl();
    }

    public String reactiveUrl() {
        return connection.reactiveUrl();
    }

    public String user() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    public int port() {
        return postgres.getPort();
    }

    /** Stops the server; a second call does nothing (a test may stop it early, its cleanup again). */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop embedded PostgreSQL", e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static void closeQuietly(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException | RuntimeException ignored) {
            // already failing; the start error is the one worth reporting
        }
    }
}
