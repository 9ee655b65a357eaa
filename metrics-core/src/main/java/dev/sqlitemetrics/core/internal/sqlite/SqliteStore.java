package dev.sqlitemetrics.core.internal.sqlite;

import dev.sqlitemetrics.core.RecorderConfig;
import dev.sqlitemetrics.core.RecorderListener;
import dev.sqlitemetrics.core.WriteOutcome;
import dev.sqlitemetrics.core.internal.write.BatchStore;
import dev.sqlitemetrics.core.internal.write.Deadline;
import dev.sqlitemetrics.core.internal.write.PendingRecord;
import dev.sqlitemetrics.core.internal.write.StoreFailure;
import dev.sqlitemetrics.core.internal.write.StoreFailure.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Commits batches to a SQLite file: the seam that holds every SQLite specific (pragmas,
 * {@code BEGIN IMMEDIATE}, result codes, file identity). Internal: not part of the API.
 *
 * <p>Each batch is one {@code BEGIN IMMEDIATE} ... {@code COMMIT}, sent as plain statements on an
 * autocommit connection: IMMEDIATE takes the write lock up front, so the busy timeout applies
 * (a deferred transaction that read first would fail at once with SQLITE_BUSY_SNAPSHOT), and the
 * driver's own commit(), which starts the next transaction at once, is never used.
 */
public final class SqliteStore implements BatchStore {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteStore.class);
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final int READ_BACK_CHUNK = 500;
    private static final long PID = ProcessHandle.current().pid();

    private enum Phase { BEGIN, INSERT, COMMIT, DONE }

    private final RecorderConfig config;
    private final RecorderListener listener;
    private final SqlitePragmas pragmas;
    private final SqliteSchema schema;
    private final FileIdentity identity;
    private final SqliteConnections connections;

    private SqliteStore(RecorderConfig config, RecorderListener listener, SqlitePragmas pragmas, SqliteSchema schema,
                        FileIdentity identity, SqliteConnections connections) {
        this.config = config;
        this.listener = listener;
        this.pragmas = pragmas;
        this.schema = schema;
        this.identity = identity;
        this.connections = connections;
    }

    /**
     * Creates the file and table if needed, checks them, and opens the pool.
     *
     * @throws StoreFailure when the file cannot be used; nothing was written to it then
     */
    public static SqliteStore open(RecorderConfig config, RecorderListener listener) {
        SqlitePragmas pragmas = new SqlitePragmas(config);
        SqliteSchema schema = new SqliteSchema(config.tableName());
        new SqliteOpener(config, pragmas, schema).prepare();
        FileIdentity identity;
        try {
            identity = FileIdentity.of(config.path());
        } catch (IOException e) {
            throw StoreFailure.notWritten("cannot stat " + config.path() + " after opening it: " + e, e,
                    Kind.READ_ONLY, SqliteErrors.NONE, false);
        }
        SqliteConnections connections;
        try {
            connections = new SqliteConnections(config, pragmas);
        } catch (RuntimeException e) {
            // HikariCP reports a first connection that failed as its own runtime exception.
            SQLException cause = findSqlException(e);
            throw cause != null ? classify(config.path(), "opening the pool for", cause)
                    : StoreFailure.notWritten("opening the pool for " + config.path() + " failed: " + e, e,
                    Kind.OTHER, SqliteErrors.NONE, false);
        }
        return new SqliteStore(config, listener, pragmas, schema, identity, connections);
    }

    @Override
    public void commit(List<PendingRecord> batch, Deadline deadline) {
        checkIdentity(WriteOutcome.NOT_WRITTEN);
        Connection connection;
        try {
            connection = connections.borrow();
        } catch (SQLException e) {
            throw classify(config.path(), "borrowing a connection to", e);
        }
        Phase phase = Phase.BEGIN;
        try {
            pragmas.limitBusyWait(connection, deadline.remaining());
            execute(connection, "BEGIN IMMEDIATE");
            phase = Phase.INSERT;
            insert(connection, batch);
            phase = Phase.COMMIT;
            execute(connection, "COMMIT");
            phase = Phase.DONE;
        } catch (SQLException e) {
            Kind kind = SqliteErrors.kind(e);
            boolean broken = SqliteErrors.evicts(kind);
            if (phase == Phase.INSERT || phase == Phase.COMMIT) {
                // A failed COMMIT (even BUSY) leaves the transaction open: never pool a connection inside one.
                broken |= !rollback(connection, e);
            }
            release(connection, broken, e);
            if (kind == Kind.CORRUPT) {
                connections.evictAll();
            }
            if (phase == Phase.COMMIT && kind != Kind.BUSY) {
                throw resolve(batch, e, kind);
            }
            throw classify(config.path(), "writing to", e);
        }
        release(connection, false, null);
        checkIdentity(WriteOutcome.UNKNOWN);
    }

    private void insert(Connection connection, List<PendingRecord> batch) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(schema.insertSql())) {
            for (PendingRecord record : batch) {
                insert.setString(1, record.id().toString());
                insert.setString(2, TIMESTAMP.format(Instant.ofEpochMilli(record.timestampMillis())));
                insert.setString(3, record.message());
                insert.setString(4, record.task());
                insert.setString(5, record.outcome());
                if (record.durationMillis() == null) {
                    insert.setNull(6, Types.REAL);
                } else {
                    insert.setDouble(6, record.durationMillis());
                }
                insert.setString(7, record.attributesJson());
                insert.setLong(8, PID);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * Settles a COMMIT whose outcome is unknown by reading the ids back on a fresh connection:
     * present ids are committed, absent ones are not (their transaction was rolled back and its
     * connection closed, so it can no longer commit).
     */
    private StoreFailure resolve(List<PendingRecord> batch, SQLException error, Kind kind) {
        Set<UUID> present = new HashSet<>();
        try (Connection connection = connections.borrow()) {
            pragmas.limitBusyWait(connection, config.busyTimeout());
            for (int from = 0; from < batch.size(); from += READ_BACK_CHUNK) {
                readBack(connection, batch.subList(from, Math.min(batch.size(), from + READ_BACK_CHUNK)), present);
            }
        } catch (SQLException readBack) {
            error.addSuppressed(readBack);
            return new StoreFailure("COMMIT to " + config.path() + " failed with " + SqliteErrors.describe(error)
                    + " and reading the ids back failed too (" + SqliteErrors.describe(readBack) + ")", error, kind,
                    SqliteErrors.resultCode(error), WriteOutcome.UNKNOWN, false, Set.of());
        }
        String detail = "COMMIT to " + config.path() + " failed with " + SqliteErrors.describe(error)
                + "; read back: " + present.size() + " of " + batch.size() + " records present";
        return new StoreFailure(detail, error, kind, SqliteErrors.resultCode(error), WriteOutcome.NOT_WRITTEN,
                kind == Kind.IO, present);
    }

    private void readBack(Connection connection, List<PendingRecord> chunk, Set<UUID> present) throws SQLException {
        String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id FROM \"" + schema.table() + "\" WHERE id IN (" + marks + ")")) {
            for (int i = 0; i < chunk.size(); i++) {
                select.setString(i + 1, chunk.get(i).id().toString());
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    present.add(UUID.fromString(rows.getString(1)));
                }
            }
        }
    }

    @Override
    public long count() {
        try (Connection connection = connections.borrow();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM \"" + schema.table() + "\"")) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw classify(config.path(), "counting rows of " + schema.table() + " in", e);
        }
    }

    @Override
    public void close() {
        connections.close();
    }

    private void checkIdentity(WriteOutcome outcome) {
        String change = identity.change();
        if (change != null) {
            connections.evictAll();
            String consequence = outcome == WriteOutcome.NOT_WRITTEN ? "nothing was written"
                    : "the last batch went to the old file, not to the one now at the path";
            throw new StoreFailure("database file " + config.path() + " " + change + "; " + consequence, null,
                    Kind.READ_ONLY, SqliteErrors.READONLY_DBMOVED, outcome, false, Set.of());
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Rolls back; returns false if that failed, and the connection must then be closed, not pooled. */
    private static boolean rollback(Connection connection, SQLException cause) {
        try {
            execute(connection, "ROLLBACK");
            return true;
        } catch (SQLException e) {
            cause.addSuppressed(e);
            return false;
        }
    }

    private void release(Connection connection, boolean broken, SQLException cause) {
        if (broken) {
            int code = SqliteErrors.resultCode(cause);
            LOG.warn("sqlite-metrics evicting a connection to {} after {}", config.path(), SqliteErrors.describe(cause));
            connections.evict(connection);
            try {
                listener.onConnectionEvicted(code);
            } catch (RuntimeException e) {
                LOG.warn("sqlite-metrics listener threw; ignoring", e);
            }
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("sqlite-metrics closing a connection to {} failed", config.path(), e);
        }
    }

    /** Classifies a failure that happened before any COMMIT was sent: nothing can have been written. */
    private static StoreFailure classify(java.nio.file.Path path, String action, SQLException e) {
        Kind kind = SqliteErrors.kind(e);
        String detail = action + " " + path + " failed: " + SqliteErrors.describe(e);
        return StoreFailure.notWritten(detail, e, kind, SqliteErrors.resultCode(e),
                kind == Kind.BUSY || kind == Kind.IO);
    }

    private static SQLException findSqlException(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }
}
