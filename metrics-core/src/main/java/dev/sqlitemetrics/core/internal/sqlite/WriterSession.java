package dev.sqlitemetrics.core.internal.sqlite;

import dev.sqlitemetrics.core.internal.write.PendingRecord;
import org.sqlite.SQLiteConnection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The writer thread's own connection, kept between batches so that its statements are prepared
 * once, not per batch. Used by the writer thread only. Plain messages and structured completions
 * have separate inserts, so a plain message binds three values instead of eight, and each is sent
 * many rows per statement ({@link MultiRowInsert}).
 */
final class WriterSession implements AutoCloseable {
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private final Connection connection;
    private final SqliteSchema schema;
    private final long configuredBusyMillis;
    private final MultiRowInsert plain;
    private final MultiRowInsert structured;
    /** Records of other processes, which a leader commits from the shared spool: rare, one row per statement. */
    private final MultiRowInsert ofOtherProcesses;
    private Statement control;
    private PreparedStatement delete;
    private long busyMillis;
    private long timestampMillis = Long.MIN_VALUE;
    private String timestamp;

    WriterSession(Connection connection, SqliteSchema schema, Duration busyTimeout) {
        this.connection = connection;
        this.schema = schema;
        this.configuredBusyMillis = busyTimeout.toMillis();
        this.busyMillis = configuredBusyMillis;
        this.plain = new MultiRowInsert(connection, schema::insertPlainSql, 3, this::bindPlain);
        this.structured = new MultiRowInsert(connection, schema::insertSql, 7, this::bindStructured);
        this.ofOtherProcesses = new MultiRowInsert(connection, rows -> schema.insertOfProcessSql(), 8,
                this::bindOfProcess);
    }

    /** Cuts the lock wait of the next statements to what is left of the batch's budget. */
    void limitBusyWait(Duration remaining) throws SQLException {
        long millis = Math.min(configuredBusyMillis, remaining.toMillis());
        if (millis != busyMillis) {
            connection.unwrap(SQLiteConnection.class).setBusyTimeout((int) millis);
            busyMillis = millis;
        }
    }

    void execute(String sql) throws SQLException {
        if (control == null) {
            control = connection.createStatement();
        }
        control.execute(sql);
    }

    /**
     * Inserts the batch inside the open transaction. With {@code rewrite}, rows already present are
     * deleted first, so they are written (and synced) again; see {@link SqliteSchema#deleteByIdSql()}.
     * They are inserted again before the records that were not present: deleting the newest rows lowers
     * the next rowid SQLite hands out, and the rowids they free must go back to rows a forwarder may
     * already have shipped, never to new rows, which a forwarder's mark past those rowids would skip.
     */
    void insert(List<PendingRecord> batch, boolean rewrite) throws SQLException {
        if (!rewrite) {
            insertByKind(batch);
            return;
        }
        if (delete == null) {
            delete = connection.prepareStatement(schema.deleteByIdSql());
        }
        for (PendingRecord record : batch) {
            delete.setString(1, record.id().toString());
            delete.addBatch();
        }
        int[] deleted = delete.executeBatch();
        List<PendingRecord> present = new ArrayList<>(batch.size());
        List<PendingRecord> absent = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            (deleted[i] > 0 ? present : absent).add(batch.get(i));
        }
        insertByKind(present);
        insertByKind(absent);
    }

    private void insertByKind(List<PendingRecord> batch) throws SQLException {
        List<PendingRecord> plainRecords = new ArrayList<>(batch.size());
        List<PendingRecord> structuredRecords = new ArrayList<>();
        List<PendingRecord> otherRecords = new ArrayList<>(0);
        for (PendingRecord record : batch) {
            if (record.pid() != PendingRecord.THIS_PROCESS) {
                otherRecords.add(record);
            } else {
                (record.task() == null ? plainRecords : structuredRecords).add(record);
            }
        }
        plain.execute(plainRecords);
        structured.execute(structuredRecords);
        ofOtherProcesses.executeOneByOne(otherRecords);
    }

    private void bindPlain(PreparedStatement statement, int first, PendingRecord record) throws SQLException {
        statement.setString(first, record.id().toString());
        statement.setString(first + 1, timestamp(record.timestampMillis()));
        statement.setString(first + 2, record.message());
    }

    private void bindStructured(PreparedStatement statement, int first, PendingRecord record) throws SQLException {
        statement.setString(first, record.id().toString());
        statement.setString(first + 1, timestamp(record.timestampMillis()));
        statement.setString(first + 2, record.message());
        statement.setString(first + 3, record.task());
        statement.setString(first + 4, record.outcome());
        if (record.durationMillis() == null) {
            statement.setNull(first + 5, Types.REAL);
        } else {
            statement.setDouble(first + 5, record.durationMillis());
        }
        statement.setString(first + 6, record.attributesJson());
    }

    private void bindOfProcess(PreparedStatement statement, int first, PendingRecord record) throws SQLException {
        bindStructured(statement, first, record);
        statement.setLong(first + 7, record.pid());
    }

    /** Records of one burst share a millisecond: format it once. */
    private String timestamp(long millis) {
        if (millis != timestampMillis) {
            timestamp = TIMESTAMP.format(Instant.ofEpochMilli(millis));
            timestampMillis = millis;
        }
        return timestamp;
    }

    /**
     * Drops the prepared statements: after most errors the driver has closed them (and a failed
     * batch may have left bound rows behind), so the next batch prepares afresh.
     */
    void resetStatements() {
        plain.close();
        structured.close();
        ofOtherProcesses.close();
        closeQuietly(delete);
        closeQuietly(control);
        delete = null;
        control = null;
    }

    Connection connection() {
        return connection;
    }

    /** Closes the statements; the caller returns or evicts the connection. */
    @Override
    public void close() {
        resetStatements();
    }

    private static void closeQuietly(Statement statement) {
        if (statement != null) {
            try {
                statement.close();
            } catch (SQLException e) {
                // Already unusable; it is being dropped anyway.
            }
        }
    }
}
