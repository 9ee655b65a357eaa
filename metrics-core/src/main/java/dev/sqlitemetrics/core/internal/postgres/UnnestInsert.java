package dev.sqlitemetrics.core.internal.postgres;

import dev.sqlitemetrics.core.internal.write.PendingRecord;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * A whole batch as one statement: each column bound as one array ({@link ArrayParameters}), so the
 * driver sends seven parameters instead of seven per row. Prepared once and kept; used by the writer
 * thread only.
 */
final class UnnestInsert implements AutoCloseable {
    private final Connection connection;
    private final PreparedStatement statement;

    UnnestInsert(Connection connection, String sql) throws SQLException {
        this.connection = connection;
        this.statement = connection.prepareStatement(sql);
    }

    /**
     * The statement for {@code table}, with this process's id and host as literals. It answers with
     * the transaction's id, which settles a COMMIT whose answer is lost, in the same round trip.
     */
    static String sql(String table, long pid, String host) {
        return "WITH inserted AS (INSERT INTO \"" + table + "\" (id, ts, msg, task, outcome, duration_ms, attributes, pid, host)"
                + " SELECT id, to_timestamp(ts_ms / 1000.0), msg, task, outcome, duration_ms, CAST(attributes AS jsonb), "
                + pid + ", '" + host.replace("'", "''") + "'"
                + " FROM unnest(CAST(? AS uuid[]), CAST(? AS bigint[]), CAST(? AS text[]), CAST(? AS text[]),"
                + " CAST(? AS text[]), CAST(? AS float8[]), CAST(? AS text[]))"
                + " AS batch(id, ts_ms, msg, task, outcome, duration_ms, attributes)"
                + " ON CONFLICT (id) DO NOTHING RETURNING 1) SELECT pg_current_xact_id()::text";
    }

    /** Inserts {@code records} in their order, inside the open transaction; returns the transaction's id. */
    String execute(List<PendingRecord> records) throws SQLException {
        BatchColumns columns = new BatchColumns(records.size());
        for (int i = 0; i < records.size(); i++) {
            PendingRecord record = records.get(i);
            columns.set(i, record.id(), record.timestampMillis(), record.message(), record.task(), record.outcome(),
                    record.durationMillis(), record.attributesJson());
        }
        try (ArrayParameters arrays = new ArrayParameters(connection, statement)) {
            columns.bind(arrays, 1);
            try (ResultSet xid = statement.executeQuery()) {
                xid.next();
                return xid.getString(1);
            }
        }
    }

    @Override
    public void close() {
        try {
            statement.close();
        } catch (SQLException e) {
            // Being dropped with its connection anyway.
        }
    }
}
