package dev.clearance.testing;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Where a PostgreSQL database is and how to log in, in the two URL forms Quarkus needs:
 * JDBC (Flyway) and the reactive client's {@code postgresql://host:port/db}.
 *
 * @param options extra JDBC query parameters (for example {@code sslmode}); never user or password
 */
public record PostgresConnection(String host, int port, String database, String user, String password,
                                 Map<String, String> options) {

    private static final Pattern JDBC_URL =
            Pattern.compile("jdbc:postgresql://([^/:?]+|\\[[^]]+])(?::(\\d+))?/([^?]+)(?:\\?(.*))?");

    public PostgresConnection {
        options = Map.copyOf(options);
    }

    public PostgresConnection(String host, int port, String database, String user, String password) {
        this(host, port, database, user, password, Map.of());
    }

    /**
     * Parses {@code jdbc:postgresql://host[:port]/db?user=u&password=p[&other=...]}, the form of
     * {@code CLEARANCE_DB_URL}.
     */
    public static PostgresConnection parseJdbcUrl(String jdbcUrl) {
        Matcher m = JDBC_URL.matcher(jdbcUrl.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "not a jdbc:postgresql://host:port/database?user=...&password=... URL (credentials not shown)");
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (m.group(4) != null && !m.group(4).isEmpty()) {
            for (String pair : m.group(4).split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                params.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
        }
        String user = params.remove("user");
        String password = params.remove("password");
        if (user == null) {
            throw new IllegalArgumentException("the JDBC URL must carry a user parameter");
        }
        int port = m.group(2) == null ? 5432 : Integer.parseInt(m.group(2));
        return new PostgresConnection(m.group(1), port, m.group(3), user, password == null ? "" : password, params);
    }

    /** JDBC URL without credentials (pass user and password separately). */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database + query();
    }

    /** The reactive client's URL, {@code postgresql://host:port/db}, without credentials. */
    public String reactiveUrl() {
        return "postgresql://" + host + ":" + port + "/" + database;
    }

    public PostgresConnection withDatabase(String otherDatabase) {
        return new PostgresConnection(host, port, otherDatabase, user, password, options);
    }

    public Connection open() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        return DriverManager.getConnection(jdbcUrl(), props);
    }

    private String query() {
        if (options.isEmpty()) {
            return "";
        }
        return options.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&", "?", ""));
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "PostgresConnection[" + jdbcUrl() + " user=" + user + "]";
    }
}
