package dev.sqlitemetrics.core.internal.postgres;

import dev.sqlitemetrics.core.internal.write.PendingRecord;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * A whole batch as one statement: each column bound as one array and turned back into rows by
 * {@code unnest}, so the server parses and plans one statement per batch whatever its size, and the
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
        int size = records.size();
        UUID[] ids = new UUID[size];
        Long[] times = new Long[size];
        String[] messages = new String[size];
        String[] tasks = new String[size];
        String[] outcomes = new String[size];
        Double[] durations = new Double[size];
        String[] attributes = new String[size];
        for (int i = 0; i < size; i++) {
            PendingRecord record = records.get(i);
            ids[i] = record.id();
            times[i] = record.timestampMillis();
            messages[i] = record.message();
            tasks[i] = record.task();
            outcomes[i] = record.outcome();
            durations[i] = record.durationMillis();
            attributes[i] = record.attributesJson();
        }
        Array[] arrays = {
                connection.createArrayOf("uuid", ids), connection.createArrayOf("int8", times),
                connection.createArrayOf("text", messages), connection.createArrayOf("text", tasks),
                connection.createArrayOf("text", outcomes), connection.createArrayOf("float8", durations),
                connection.createArrayOf("text", attributes)};
        try {
            for (int i = 0; i < arrays.length; i++) {
                statement.setArray(i + 1, arrays[i]);
            }
            try (ResultSet xid = statement.executeQuery()) {
                xid.next();
                return xid.getString(1);
            }
        } finally {
            for (Array array : arrays) {
                array.free();
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
