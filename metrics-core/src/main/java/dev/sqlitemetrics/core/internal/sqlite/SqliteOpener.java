package dev.sqlitemetrics.core.internal.sqlite;

import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.core.internal.write.BusyRetry;
import dev.sqlitemetrics.core.internal.write.Deadline;
import dev.sqlitemetrics.core.internal.write.StoreFailure;
import dev.sqlitemetrics.core.internal.write.StoreFailure.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static final Logger LOG = LoggerFactory.getLogger(SqliteOpener.class);
    private final SqliteConfig config;
    private final SqlitePragmas pragmas;
    private final SqliteSchema schema;

    SqliteOpener(SqliteConfig config, SqlitePragmas pragmas, SqliteSchema schema) {
        this.config = config;
        this.pragmas = pragmas;
        this.schema = schema;
    }

    /** Runs every step; throws a classified failure when one cannot complete within the retry budget. */
    void prepare() {
        AtomicInteger attempts = new AtomicInteger();
        BusyRetry retry = new BusyRetry(config.retry(), (failure, attempt) -> { });
        try (Connection connection = pragmas.creating().createConnection(pragmas.url())) {
            // Reading first touches the header: a file that is not a database fails here, unwritten. Each
            // step that needs the write lock runs only when reading shows it is needed, so opening an existing
            // database never waits for another writer's lock.
            String mode = SqlitePragmas.read(connection, "journal_mode");
            if (!config.journalMode().name().equalsIgnoreCase(mode)) {
                retry.run(stepBudget(), () -> {
                    attempts.incrementAndGet();
                    setJournalMode(connection);
                });
            }
            if (!tableExists(connection)) {
                retry.run(stepBudget(), () -> {
                    attempts.incrementAndGet();
                    createTable(connection);
                });
            }
            List<String> differences = schema.differences(connection);
            if (!differences.isEmpty()) {
                if (!schema.adoption(connection).isEmpty()) {
                    // The classic experiment's table: it gains the recorder's columns, its rows untouched.
                    retry.run(stepBudget(), () -> {
                        attempts.incrementAndGet();
                        adopt(connection);
                    });
                }
                // Read again: this process adopted the table, or another one did meanwhile.
                tableExists(connection);
                differences = schema.differences(connection);
            }
            if (!differences.isEmpty()) {
                throw otherShape(differences);
            }
            // A table made before the read side's indexes gets them once: building them holds the write
            // lock for as long as the table takes to scan (about a second per million rows).
            List<String> missing = missingIndexes(connection);
            if (!missing.isEmpty()) {
                try {
                    retry.run(stepBudget(), () -> {
                        attempts.incrementAndGet();
                        inWriteTransaction(connection, "creating the indexes of " + schema.table() + " in", missing);
                    });
                } catch (StoreFailure failure) {
                    // A file this process may not write: reads work without the indexes, and the first
                    // record reports the file read-only as before.
                    if (failure.kind() != Kind.READ_ONLY) {
                        throw failure;
                    }
                }
            }
        } catch (SQLException e) {
            throw failure("opening", e);
        } catch (StoreFailure failure) {
            throw failure.withAttempts(Math.max(1, attempts.get()));
        }
    }

    /**
     * What {@link #prepare()} would change in the file, read without writing to it: the statements,
     * or none when the file and its table fit already.
     *
     * @throws StoreFailure when the table has another shape (which opening would refuse), or the file cannot be read
     */
    List<String> plan() {
        if (!java.nio.file.Files.exists(config.path())) {
            return schema.creation();
        }
        org.sqlite.SQLiteConfig readOnly = new org.sqlite.SQLiteConfig();
        readOnly.setReadOnly(true);
        try (Connection connection = readOnly.createConnection(pragmas.url())) {
            if (!tableExists(connection)) {
                return schema.creation();
            }
            List<String> statements = new java.util.ArrayList<>();
            List<String> differences = schema.differences(connection);
            if (!differences.isEmpty()) {
                statements.addAll(schema.adoption(connection));
                if (statements.isEmpty()) {
                    throw otherShape(differences);
                }
            }
            statements.addAll(missingIndexes(connection));
            return statements;
        } catch (SQLException e) {
            throw failure("reading the table of", e);
        }
    }

    /**
     * Each step that needs the write lock gets the whole retry budget: a budget shared by the steps
     * would let a short deadline (a few ms, shorter than one fsync on a loaded machine) spend itself on
     * the first step and refuse to start the next, failing an open that no one contends.
     */
    private Deadline stepBudget() {
        return Deadline.after(config.retry().deadline());
    }

    private List<String> missingIndexes(Connection connection) throws SQLException {
        List<String> missing = new java.util.ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?")) {
            for (java.util.Map.Entry<String, String> index : schema.indexSql().entrySet()) {
                select.setString(1, index.getKey());
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        missing.add(index.getValue());
                    }
                }
            }
        }
        return missing;
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
        inWriteTransaction(connection, "creating table " + schema.table() + " in", schema.creation());
    }

    /**
     * Adds the recorder's columns to a classic table, in one transaction: what is missing is read again
     * once the write lock is held, so that of several processes opening the file at once the first
     * alters it and the others find nothing left to do.
     */
    private void adopt(Connection connection) {
        List<String> done = new java.util.ArrayList<>();
        inWriteTransaction(connection, "adding the recorder's columns to table " + schema.table() + " in", () -> {
            done.addAll(schema.adoption(connection));
            return done;
        });
        if (!done.isEmpty()) {
            LOG.info("sqlite-metrics adopted the table {} of {}: {}", schema.table(), config.path(), String.join("; ", done));
        }
    }

    /** Statements read once the transaction is open. */
    private interface Statements {
        List<String> get() throws SQLException;
    }

    /** Runs {@code statements} in one {@code BEGIN IMMEDIATE} transaction, rolled back if one fails. */
    private void inWriteTransaction(Connection connection, String action, List<String> statements) {
        inWriteTransaction(connection, action, () -> statements);
    }

    private void inWriteTransaction(Connection connection, String action, Statements statements) {
        boolean open = false;
        try (Statement statement = connection.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
            open = true;
            for (String sql : statements.get()) {
                statement.execute(sql);
            }
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
            throw failure(action, e);
        }
    }

    /** The refusal of a table of another shape, listing every difference; nothing altered. */
    private StoreFailure otherShape(List<String> differences) {
        return StoreFailure.notWritten("table " + schema.table() + " in " + config.path()
                + " has another shape than the recorder needs: " + String.join("; ", differences)
                + "; nothing was altered", null, Kind.SCHEMA, SqliteErrors.NONE, false);
    }

    private StoreFailure failure(String action, SQLException e) {
        Kind kind = SqliteErrors.kind(e);
        return StoreFailure.notWritten(action + " " + config.path() + " failed: " + SqliteErrors.describe(e), e, kind,
                SqliteErrors.resultCode(e), kind == Kind.BUSY);
    }
}
