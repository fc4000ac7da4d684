package dev.clearance.identity.service;

import io.vertx.pgclient.PgException;

import java.net.ConnectException;
import java.sql.SQLException;

/** Classifies database failures by SQL state, wherever the driver wrapped them. */
public final class StorageErrors {

    private StorageErrors() {
    }

    public static boolean isUniqueViolation(Throwable error) {
        return "23505".equals(sqlState(error));
    }

    /** The database cannot be reached or is shutting down: worth retrying, nothing was written. */
    public static boolean isUnavailable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return true;
            }
        }
        String state = sqlState(error);
        return state != null && (state.startsWith("08") || state.startsWith("57P"));
    }

    private static String sqlState(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof PgException pg) {
                return pg.getSqlState();
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
