package dev.sqlitemetrics.core.internal.sqlite;

import dev.sqlitemetrics.core.internal.write.PendingRecord;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.function.IntFunction;

/**
 * One kind of insert, sent as statements of {@value #ROWS} rows each and the rest one row at a time:
 * a big batch then runs a few dozen statements instead of one per row, which makes inserting it
 * about a third faster (measured in LEVERS.md). Both statements are prepared once and kept. Used by
 * the writer thread only. (PostgreSQL sends a whole batch as one statement over arrays instead.)
 */
final class MultiRowInsert implements AutoCloseable {
    /** Rows per statement; more gained nothing measurable, and a shorter statement is cheaper to prepare. */
    static final int ROWS = 32;

    /** Binds one record's values from parameter {@code first} on. */
    interface Binder {
        void bind(PreparedStatement statement, int first, PendingRecord record) throws SQLException;
    }

    private final Connection connection;
    private final IntFunction<String> sql;
    private final int parameters;
    private final Binder binder;
    private PreparedStatement many;
    private PreparedStatement one;

    /**
     * @param sql        the insert of the given number of rows
     * @param parameters parameters per row
     */
    MultiRowInsert(Connection connection, IntFunction<String> sql, int parameters, Binder binder) {
        this.connection = connection;
        this.sql = sql;
        this.parameters = parameters;
        this.binder = binder;
    }

    /** Inserts {@code records} in their order, inside the open transaction, one row per statement. */
    void executeOneByOne(List<PendingRecord> records) throws SQLException {
        if (!records.isEmpty()) {
            executeSingles(records);
        }
    }

    /** Inserts {@code records} in their order, inside the open transaction. */
    void execute(List<PendingRecord> records) throws SQLException {
        int whole = records.size() - records.size() % ROWS;
        if (whole > 0) {
            if (many == null) {
                many = connection.prepareStatement(sql.apply(ROWS));
            }
            for (int start = 0; start < whole; start += ROWS) {
                for (int row = 0; row < ROWS; row++) {
                    binder.bind(many, row * parameters + 1, records.get(start + row));
                }
                many.addBatch();
            }
            many.executeBatch();
        }
        if (whole < records.size()) {
            executeSingles(records.subList(whole, records.size()));
        }
    }

    private void executeSingles(List<PendingRecord> records) throws SQLException {
        if (one == null) {
            one = connection.prepareStatement(sql.apply(1));
        }
        for (PendingRecord record : records) {
            binder.bind(one, 1, record);
            one.addBatch();
        }
        one.executeBatch();
    }

    /** Closes the statements; the next execute prepares afresh. */
    @Override
    public void close() {
        many = closeQuietly(many);
        one = closeQuietly(one);
    }

    private static PreparedStatement closeQuietly(PreparedStatement statement) {
        if (statement != null) {
            try {
                statement.close();
            } catch (SQLException e) {
                // Already unusable; it is being dropped anyway.
            }
        }
        return null;
    }
}
