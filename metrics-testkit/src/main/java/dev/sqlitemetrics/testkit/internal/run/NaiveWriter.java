package dev.sqlitemetrics.testkit.internal.run;

import dev.sqlitemetrics.core.RecordIds;
import org.sqlite.SQLiteException;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

/**
 * The classic experiment's insert_row on any database: a fresh connection per record, one autocommit
 * INSERT, no retry, the driver's defaults. Internal.
 */
final class NaiveWriter extends AttemptWriter {
    /** SQLSTATEs of a connection that was never made: nothing was sent, so nothing was written. */
    private static final Set<String> NOT_CONNECTED = Set.of("53300", "08001", "08004", "57P03");

    private final String url;
    private final Properties properties = new Properties();
    private final String insert;

    NaiveWriter(String url, String user, String password, Map<String, String> settings, String insert) {
        this.url = url;
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.putAll(settings);
        this.insert = insert;
    }

    @Override
    public Attempt write(int writer, int record, String msg) {
        UUID id = RecordIds.next();
        String content = RecordContent.hash(msg, null, null);
        long startMillis = System.currentTimeMillis();
        long start = System.nanoTime();
        Attempt.Status status = Attempt.Status.OK;
        String code = null;
        try (Connection connection = DriverManager.getConnection(url, properties);
             PreparedStatement statement = connection.prepareStatement(insert)) {
            statement.setString(1, id.toString());
            statement.setString(2, msg);
            statement.executeUpdate();
        } catch (SQLException e) {
            code = code(e);
            // Refused for a lock, or never connected: not written; any other failure may have written.
            boolean notWritten = code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")
                    || (e.getSQLState() != null && NOT_CONNECTED.contains(e.getSQLState()));
            status = notWritten ? Attempt.Status.NOT_WRITTEN : Attempt.Status.UNKNOWN;
        }
        long end = System.nanoTime();
        return new Attempt(id.toString(), status, code, end - start, end, content, startMillis,
                System.currentTimeMillis());
    }

    /** SQLite's result name, or a server's SQLSTATE as {@code SQLSTATE_53300}. */
    private static String code(SQLException e) {
        if (e instanceof SQLiteException sqlite) {
            return sqlite.getResultCode().name();
        }
        return e.getSQLState() != null ? "SQLSTATE_" + e.getSQLState() : ResultCodes.name(e.getErrorCode());
    }

    @Override
    public void close() {
        // Nothing is kept open between records.
    }
}
