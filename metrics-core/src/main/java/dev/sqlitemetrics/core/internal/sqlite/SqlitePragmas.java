package dev.sqlitemetrics.core.internal.sqlite;

import dev.sqlitemetrics.core.JournalMode;
import dev.sqlitemetrics.core.SqliteConfig;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * The recorder's settings as sqlite-jdbc connection properties, and the check that they took:
 * the only class that knows sqlite-jdbc's configuration API.
 *
 * <p>Pragmas go in as connection properties, never as a multi-statement init string (the driver runs
 * only the first statement of such a string). WAL is persistent in the file and switching to it needs
 * a lock, so it is set once at open ({@link SqliteSchema}), not on every connection.
 */
final class SqlitePragmas {
    /**
     * SQLite reuses the -wal file after a checkpoint instead of shrinking it, so a WAL that grew
     * while a long reader kept checkpoints from completing would keep its size for good. With this
     * limit, the file is truncated back to 64 MiB when the log restarts after the reader is gone.
     */
    static final long WAL_SIZE_LIMIT_BYTES = 64L * 1024 * 1024;

    private final SqliteConfig config;

    SqlitePragmas(SqliteConfig config) {
        this.config = config;
    }

    /** Properties for pooled connections: they never create the file, so a deleted database is not silently recreated. */
    SQLiteConfig pooled() {
        SQLiteConfig sqlite = common();
        sqlite.resetOpenMode(SQLiteOpenMode.CREATE);
        return sqlite;
    }

    /** Properties for the connection that creates the file and the schema at open. */
    SQLiteConfig creating() {
        return common();
    }

    private SQLiteConfig common() {
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setBusyTimeout((int) config.busyTimeout().toMillis());
        // By number: the driver's enum lacks EXTRA.
        sqlite.setPragma(SQLiteConfig.Pragma.SYNCHRONOUS, String.valueOf(config.synchronous().level()));
        sqlite.setJournalSizeLimit((int) WAL_SIZE_LIMIT_BYTES);
        if (config.journalMode() != JournalMode.WAL) {
            // Rollback journal modes are per connection; setting one needs no lock once the file left WAL.
            sqlite.setJournalMode(SQLiteConfig.JournalMode.valueOf(config.journalMode().name()));
        }
        return sqlite;
    }

    /** The JDBC URL of the database file. */
    String url() {
        return "jdbc:sqlite:" + config.path();
    }

    /** Reads every setting back from {@code connection} and throws if one differs from the configuration. */
    void verify(Connection connection) throws SQLException {
        expect(connection, "busy_timeout", String.valueOf(config.busyTimeout().toMillis()));
        expect(connection, "synchronous", String.valueOf(config.synchronous().level()));
        expect(connection, "journal_mode", config.journalMode().name().toLowerCase(Locale.ROOT));
        expect(connection, "journal_size_limit", String.valueOf(WAL_SIZE_LIMIT_BYTES));
    }

    private void expect(Connection connection, String pragma, String expected) throws SQLException {
        String actual = read(connection, pragma);
        if (!expected.equalsIgnoreCase(actual)) {
            throw new SettingMismatchException("PRAGMA " + pragma + " on a new connection to " + config.path()
                    + " is " + actual + ", expected " + expected + " from the configuration");
        }
    }

    /** Reads a one-value pragma. */
    static String read(Connection connection, String pragma) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("PRAGMA " + pragma)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }
}
