package dev.clearance.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Gives a {@code @QuarkusTest} a real PostgreSQL: the server in {@code CLEARANCE_DB_URL}
 * (a JDBC URL with {@code user} and {@code password} parameters) when set, otherwise an
 * {@link EmbeddedDatabase}. Either way the test gets a fresh schema ({@code clearance.db.schema},
 * {@code t_} + 8 random hex digits) so reruns against a shared server never collide; the schema
 * is dropped and the embedded server stopped afterwards.
 *
 * <p>Returns {@code quarkus.datasource.username}, {@code .password}, {@code .reactive.url},
 * {@code .jdbc.url} and {@code clearance.db.schema}.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String ENV_DB_URL = "CLEARANCE_DB_URL";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final UnaryOperator<String> environment;
    private EmbeddedDatabase embedded;
    private PostgresConnection connection;
    private String schema;

    public PostgresTestResource() {
        this(System::getenv);
    }

    /** For tests of this class: reads the environment through {@code environment}. */
    PostgresTestResource(UnaryOperator<String> environment) {
        this.environment = environment;
    }

    @Override
    public Map<String, String> start() {
        String external = environment.apply(ENV_DB_URL);
        if (external != null && !external.isBlank()) {
            connection = PostgresConnection.parseJdbcUrl(external);
        } else {
            embedded = EmbeddedDatabase.start();
            connection = embedded.connection();
        }
        schema = newSchemaName();
        execute("CREATE SCHEMA " + schema);
        return Map.of(
                "quarkus.datasource.username", connection.user(),
                "quarkus.datasource.password", connection.password(),
                "quarkus.datasource.reactive.url", connection.reactiveUrl(),
                "quarkus.datasource.jdbc.url", connection.jdbcUrl(),
                "clearance.db.schema", schema);
    }

    @Override
    public void stop() {
        try {
            if (connection != null && schema != null) {
                execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        } finally {
            if (embedded != null) {
                embedded.stop();
                embedded = null;
            }
        }
    }

    /** Lower-case so it needs no quoting in SQL or Flyway configuration. */
    static String newSchemaName() {
        byte[] bytes = new byte[4];
        RANDOM.nextBytes(bytes);
        return "t_" + HexFormat.of().formatHex(bytes);
    }

    private void execute(String sql) {
        try (Connection c = connection.open(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test database setup failed on " + connection + ": " + e.getMessage(), e);
        }
    }
}
