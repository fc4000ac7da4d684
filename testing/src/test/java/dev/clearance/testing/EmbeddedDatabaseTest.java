package dev.clearance.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Starts a real embedded PostgreSQL once and checks both helpers against it. */
class EmbeddedDatabaseTest {

    private static EmbeddedDatabase db;

    @BeforeAll
    static void start() {
        db = EmbeddedDatabase.start();
    }

    @AfterAll
    static void stop() {
        db.stop();
    }

    @Test
    void clearanceDatabaseIsReachableAsClearanceUser() throws SQLException {
        try (Connection c = db.connection().open(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_database(), current_user")) {
            assertTrue(rs.next());
            assertEquals("clearance", rs.getString(1));
            assertEquals("clearance", rs.getString(2));
        }
        assertEquals("postgresql://localhost:" + db.port() + "/clearance", db.reactiveUrl());
    }

    @Test
    void testResourceUsesExternalServerAndDropsItsFreshSchema() throws SQLException {
        String url = "jdbc:postgresql://localhost:" + db.port() + "/clearance?user=clearance&password=clearance";
        PostgresTestResource first = new PostgresTestResource(name -> PostgresTestResource.ENV_DB_URL.equals(name) ? url : null);
        PostgresTestResource second = new PostgresTestResource(name -> PostgresTestResource.ENV_DB_URL.equals(name) ? url : null);

        Map<String, String> config = first.start();
        Map<String, String> other = second.start();
        String schema = config.get("clearance.db.schema");
        assertTrue(schema.matches("t_[0-9a-f]{8}"), schema);
        assertNotEquals(schema, other.get("clearance.db.schema"));
        assertEquals(db.reactiveUrl(), config.get("quarkus.datasource.reactive.url"));
        assertEquals(db.jdbcUrl(), config.get("quarkus.datasource.jdbc.url"));
        assertEquals("clearance", config.get("quarkus.datasource.username"));
        assertEquals("clearance", config.get("quarkus.datasource.password"));
        assertTrue(schemaExists(schema));

        first.stop();
        assertFalse(schemaExists(schema));
        assertTrue(schemaExists(other.get("clearance.db.schema")), "the other run's schema is untouched");
        second.stop();
    }

    private static boolean schemaExists(String schema) throws SQLException {
        try (Connection c = db.connection().open(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT 1 FROM information_schema.schemata WHERE schema_name = '" + schema + "'")) {
            return rs.next();
        }
    }
}
