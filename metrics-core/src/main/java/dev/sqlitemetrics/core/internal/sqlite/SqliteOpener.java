package dev.sqlitemetrics.core.internal.sqlite;

import dev.sqlitemetrics.core.RecorderConfig;
import dev.sqlitemetrics.core.internal.write.BusyRetry;
import dev.sqlitemetrics.core.internal.write.Deadline;
import dev.sqlitemetrics.core.internal.write.StoreFailure;
import dev.sqlitemetrics.core.internal.write.StoreFailure.Kind;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Prepares the database file at open: creates it if missing, sets the journal mode, creates the
 * table and checks its shape. Safe when many processes open a new file at the same moment: every
 * step is idempotent and retried while another process holds the lock.
 */
final class SqliteOpener {
    private final RecorderConfig config;
    private final SqlitePragmas pragmas;
    private final SqliteSchema schema;

    SqliteOpener(RecorderConfig config, SqlitePragmas pragmas, SqliteSchema schema) {
        this.config = config;
        this.pragmas = pragmas;
        this.schema = schema;
    }

    /** Runs every step; throws a classified failure when one cannot complete within the retry budget. */
    void prepare() {
        AtomicInteger attempts = new AtomicInteger();
        BusyRetry retry = new BusyRetry(config.retry(), (failure, attempt) -> { });
        // One budget for the whole open, however many steps need the lock.
        Deadline deadline = Deadline.after(config.retry().deadline());
        try (Connection connection = pragmas.creating().createConnection(pragmas.url())) {
            // Reading first touches the header: a file that is not a database fails here, unwritten. Each
            // step that needs the write lock runs only when reading shows it is needed, so opening an existing
            // database never waits for another writer's lock.
            String mode = SqlitePragmas.read(connection, "journal_mode");
            if (!config.journalMode().name().equalsIgnoreCase(mode)) {
                retry.run(deadline, () -> {
                    attempts.incrementAndGet();
                    setJournalMode(connection);
                });
            }
            if (!tableExists(connection)) {
                retry.run(deadline, () -> {
                    attempts.incrementAndGet();
                    createTable(connection);
                });
            }
            List<String> differences = schema.differences(connection);
            if (!differences.isEmpty()) {
                throw StoreFailure.notWritten("table " + schema.table() + " in " + config.path()
                        + " has another shape than the recorder needs: " + String.join("; ", differences)
                        + "; nothing was altered", null, Kind.SCHEMA, SqliteErrors.NONE, false);
            }
        } catch (SQLException e) {
            throw failure("opening", e);
        } catch (StoreFailure failure) {
            throw failure.withAttempts(Math.max(1, attempts.get()));
        }
    }

    private boolean tableExists(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
            select.setString(1, schema.table());
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }

    private void setJournalMode(Connection connection) {
        String wanted = config.journalMode().name().toLowerCase(Locale.ROOT);
        try {
            String mode = SqlitePragmas.read(connection, "journal_mode=" + wanted);
            if (!wanted.equalsIgnoreCase(mode)) {
                // SQLite answers with the old mode when another connection keeps it from switching.
                throw StoreFailure.notWritten("journal_mode of " + config.path() + " is still " + mode + ", wanted "
                        + wanted + ": another connection keeps it from changing", null, Kind.BUSY,
                        SqliteErrors.BUSY, true);
            }
        } catch (SQLException e) {
            throw failure("setting journal_mode=" + wanted + " on", e);
        }
    }

    private void createTable(Connection connection) {
        boolean open = false;
        try (Statement statement = connection.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
            open = true;
            statement.execute(schema.createSql());
            statement.execute("COMMIT");
            open = false;
        } catch (SQLException e) {
            if (open) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("ROLLBACK");
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
            }
            throw failure("creating table " + schema.table() + " in", e);
        }
    }

    private StoreFailure failure(String action, SQLException e) {
        Kind kind = SqliteErrors.kind(e);
        return StoreFailure.notWritten(action + " " + config.path() + " failed: " + SqliteErrors.describe(e), e, kind,
                SqliteErrors.resultCode(e), kind == Kind.BUSY);
    }
}
