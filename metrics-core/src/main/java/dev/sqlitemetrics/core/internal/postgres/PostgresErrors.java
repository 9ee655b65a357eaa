package dev.sqlitemetrics.core.internal.postgres;

import dev.sqlitemetrics.core.internal.write.Causes;
import dev.sqlitemetrics.core.internal.write.StoreFailure.Kind;

import java.sql.BatchUpdateException;
import java.sql.SQLException;

/**
 * Classifies PostgreSQL errors by SQLSTATE into the families of the error table (docs/errors.md). Lost
 * connections and a server shutting down or starting are retried, as are serialization failures,
 * deadlocks and "too many clients"; the rest is reported at once.
 */
final class PostgresErrors {
    private PostgresErrors() {
    }

    /** The SQLSTATE of the first exception in the chain that has one, or {@code null}. */
    static String sqlState(Throwable error) {
        return Causes.first(error, SQLException.class, sql -> sql.getSQLState() != null).map(SQLException::getSQLState)
                .orElse(null);
    }

    /**
     * Whether the connection is gone (08xxx) or the server is going away or not up yet (57P01
     * admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now): work sent on it may or may not
     * have been done, and the connection must be dropped.
     */
    static boolean connectionLost(SQLException error) {
        String state = sqlState(error);
        return state == null || state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03");
    }

    /** The family of {@code error}. */
    static Kind kind(SQLException error) {
        String state = sqlState(error);
        if (connectionLost(error)) {
            return Kind.IO;
        }
        return switch (state) {
            // 57014: a statement cancelled before it committed (at a deadline, or by an administrator).
            case "40001", "40P01", "53300", "55P03", "57014" -> Kind.BUSY;
            case "53100" -> Kind.FULL;
            case "53200", "58030" -> Kind.IO;
            case "42501", "25006" -> Kind.READ_ONLY;
            case "XX001", "XX002" -> Kind.CORRUPT;
            default -> switch (state.substring(0, 2)) {
                case "22", "23" -> Kind.INVALID;
                // A refused login, no such database: nothing a retry can change.
                case "28", "3D" -> Kind.READ_ONLY;
                case "42" -> Kind.SCHEMA;
                default -> Kind.OTHER;
            };
        };
    }

    /** Whether trying again can succeed: a lost connection, a restarting server, a busy family result. */
    static boolean retryable(Kind kind) {
        return kind == Kind.BUSY || kind == Kind.IO;
    }

    /**
     * The driver's message with its SQLSTATE, for our own messages. A failed batch's own message
     * quotes the whole statement with every record's values; the server's reason is the next exception.
     */
    static String describe(SQLException error) {
        SQLException reason = error instanceof BatchUpdateException && error.getNextException() != null
                ? error.getNextException() : error;
        String state = sqlState(reason);
        return reason.getMessage() + (state == null ? "" : " (SQLSTATE " + state + ")");
    }
}
