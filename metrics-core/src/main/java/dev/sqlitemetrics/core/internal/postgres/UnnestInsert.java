package dev.sqlitemetrics.core.internal.postgres;

import dev.sqlitemetrics.core.internal.write.PendingRecord;

import org.postgresql.core.BaseConnection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.util.List;

/**
 * A whole batch as one statement: each column bound as one array ({@link ArrayParameters}), so the
 * driver sends seven parameters instead of seven per row. A batch of one record, what a lone caller
 * sends, goes as a plain one-row insert instead, which the server plans and runs in less time than
 * unpacking arrays. Both prepared once and kept; used by the batch's committer only.
 */
final class UnnestInsert implements AutoCloseable {
    private final Connection connection;
    private final PreparedStatement statement;
    private final PreparedStatement single;
    /** The statement being run now: the one a cancel request is for. */
    private volatile PreparedStatement running;

    UnnestInsert(Connection connection, String table, long pid, String host) throws SQLException {
        this.connection = connection;
        this.statement = connection.prepareStatement(sql(table, pid, host));
        this.single = connection.prepareStatement(singleSql(table, pid, host));
    }

    /** The one-row statement for {@code table}, with this process's id and host as literals. */
    static String singleSql(String table, long pid, String host) {
        return "INSERT INTO \"" + table + "\" (id, ts, msg, task, outcome, duration_ms, attributes, pid, host)"
                + " VALUES (CAST(? AS uuid), to_timestamp(CAST(? AS bigint) / 1000.0), ?, ?, ?, CAST(? AS float8),"
                + " CAST(? AS jsonb), " + pid + ", '" + host.replace("'", "''") + "') ON CONFLICT (id) DO NOTHING";
    }

    /** The statement for {@code table}, with this process's id and host as literals. */
    static String sql(String table, long pid, String host) {
        return "INSERT INTO \"" + table + "\" (id, ts, msg, task, outcome, duration_ms, attributes, pid, host)"
                + " SELECT id, to_timestamp(ts_ms / 1000.0), msg, task, outcome, duration_ms, CAST(attributes AS jsonb), "
                + pid + ", '" + host.replace("'", "''") + "'"
                + " FROM unnest(CAST(? AS uuid[]), CAST(? AS bigint[]), CAST(? AS text[]), CAST(? AS text[]),"
                + " CAST(? AS text[]), CAST(? AS float8[]), CAST(? AS text[]))"
                + " AS batch(id, ts_ms, msg, task, outcome, duration_ms, attributes)"
                + " ON CONFLICT (id) DO NOTHING";
    }

    /** Inserts {@code records} in their order; in autocommit mode the answer means committed. Returns the rows added. */
    int execute(List<PendingRecord> records) throws SQLException {
        if (records.size() == 1) {
            return executeOne(records.get(0));
        }
        BatchColumns columns = new BatchColumns(records.size());
        for (int i = 0; i < records.size(); i++) {
            PendingRecord record = records.get(i);
            columns.set(i, record.id(), record.timestampMillis(), record.message(), record.task(), record.outcome(),
                    record.durationMillis(), record.attributesJson());
        }
        try (ArrayParameters arrays = new ArrayParameters(connection, statement)) {
            columns.bind(arrays, 1);
            statement.clearWarnings();
            running = statement;
            return statement.executeUpdate();
        }
    }

    private int executeOne(PendingRecord record) throws SQLException {
        single.setObject(1, record.id());
        single.setLong(2, record.timestampMillis());
        single.setString(3, PostgresText.storable(record.message()));
        single.setString(4, PostgresText.storable(record.task()));
        single.setString(5, PostgresText.storable(record.outcome()));
        single.setObject(6, record.durationMillis(), java.sql.Types.DOUBLE);
        single.setString(7, PostgresText.storableJson(record.attributesJson()));
        single.clearWarnings();
        running = single;
        return single.executeUpdate();
    }

    /**
     * Asks the server to cancel the statement running now (from another thread); the cancel request
     * travels on a connection of its own. Never throws: a server that cannot be asked is left to the
     * socket's timeout.
     */
    void cancelQuietly() {
        // Each cancel may wait for a server that does not answer: on a thread of its own, never the scheduler's.
        Thread cancelling = new Thread(() -> {
            try {
                // The driver's own Statement.cancel() holds the connection's lock while it waits for the
                // server, and the statement cannot end (its socket timeout included) until it lets go:
                // the cancel request is sent without it.
                connection.unwrap(BaseConnection.class).getQueryExecutor().sendQueryCancel();
            } catch (SQLException | RuntimeException e) {
                // The socket's timeout ends the statement instead.
            }
        }, "sqlite-metrics-pg-cancelling");
        cancelling.setDaemon(true);
        cancelling.start();
    }

    /** What the server warned of while running the last statement (on it or on its connection), or {@code null}. */
    SQLWarning warnings() throws SQLException {
        SQLWarning warning = running.getWarnings();
        SQLWarning onConnection = connection.getWarnings();
        if (onConnection != null) {
            connection.clearWarnings();
            if (warning == null) {
                return onConnection;
            }
            warning.setNextWarning(onConnection);
        }
        return warning;
    }

    @Override
    public void close() {
        try {
            statement.close();
            single.close();
        } catch (SQLException e) {
            // Being dropped with its connection anyway.
        }
    }
}
