package dev.clearance.testing;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PostgresConnectionTest {

    @Test
    void parsesJdbcUrlWithCredentialsAndKeepsOtherOptions() {
        PostgresConnection c = PostgresConnection.parseJdbcUrl(
                "jdbc:postgresql://db.example:6543/clearance?user=alice&password=p%26ss&sslmode=require");
        assertEquals("db.example", c.host());
        assertEquals(6543, c.port());
        assertEquals("clearance", c.database());
        assertEquals("alice", c.user());
        assertEquals("p&ss", c.password());
        assertEquals(Map.of("sslmode", "require"), c.options());
        assertEquals("jdbc:postgresql://db.example:6543/clearance?sslmode=require", c.jdbcUrl());
        assertEquals("postgresql://db.example:6543/clearance", c.reactiveUrl());
    }

    @Test
    void defaultsPortAndNeverPrintsPassword() {
        PostgresConnection c = PostgresConnection.parseJdbcUrl("jdbc:postgresql://localhost/db?user=u&password=secret");
        assertEquals(5432, c.port());
        assertFalse(c.toString().contains("secret"));
    }

    @Test
    void rejectsOtherUrls() {
        assertThrows(IllegalArgumentException.class, () -> PostgresConnection.parseJdbcUrl("postgresql://h/db?user=u"));
        assertThrows(IllegalArgumentException.class, () -> PostgresConnection.parseJdbcUrl("jdbc:postgresql://h/db"));
    }
}
