package dev.sqlitemetrics.core.internal.read;

import dev.sqlitemetrics.core.CompletionFilter;
import dev.sqlitemetrics.core.StoredCompletion;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The read side's SQL, the same for every store: the filter as a WHERE clause with bound
 * parameters, rows turned into {@link StoredCompletion}s. Internal: not part of the API.
 */
public final class RowQueries {
    /** Rows fetched per round trip when streaming. */
    static final int FETCH_SIZE = 1_000;
    private static final String COLUMNS = "ts, msg, id, task, outcome, duration_ms, attributes, pid";
    private static final List<String> RECORDER_COLUMNS = List.of(COLUMNS.split(", "));

    private final ReadDialect dialect;
    /** Whether the table was seen with every column the recorder writes (once true, it stays so). */
    private volatile boolean complete;

    public RowQueries(ReadDialect dialect) {
        this.dialect = dialect;
    }

    /** A statement for the rows {@code filter} selects, ordered by time ({@code newestFirst} or not), at most {@code limit} (0: all). */
    public PreparedStatement rows(Connection connection, CompletionFilter filter, boolean newestFirst, int limit)
            throws SQLException {
        return prepared(connection, "SELECT " + COLUMNS + ", " + dialect.hostColumn(), filter,
                " ORDER BY ts " + (newestFirst ? "DESC" : "ASC") + (limit > 0 ? " LIMIT " + limit : ""));
    }

    /** A statement for the rows {@code filter} selects that have a duration, the longest first, at most {@code limit}. */
    public PreparedStatement slowest(Connection connection, CompletionFilter filter, int limit) throws SQLException {
        return prepared(connection, "SELECT " + COLUMNS + ", " + dialect.hostColumn(), filter,
                " AND duration_ms IS NOT NULL ORDER BY duration_ms DESC, ts DESC LIMIT " + limit);
    }

    /** A statement for what a summary needs of the rows {@code filter} selects: ts, task, outcome, duration_ms. */
    public PreparedStatement summaryRows(Connection connection, CompletionFilter filter) throws SQLException {
        return prepared(connection, "SELECT ts, task, outcome, duration_ms", filter, "");
    }

    /** Whether a row with {@code id} exists. */
    public boolean contains(Connection connection, UUID id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM " + source(connection) + " WHERE id = ? LIMIT 1")) {
            dialect.bindId(statement, 1, id);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** The current row as a completion. */
    public StoredCompletion completion(ResultSet rows) throws SQLException {
        Object duration = rows.getObject(6);
        Object pid = rows.getObject(8);
        return new StoredCompletion(uuid(rows.getString(3)), dialect.time(rows, 1), rows.getString(2), rows.getString(4),
                rows.getString(5), duration instanceof Number number ? number.doubleValue() : null, rows.getString(7),
                pid instanceof Number number ? number.longValue() : null, rows.getString(9));
    }

    /** Reads every row of {@code statement}'s result as completions (for bounded results only). */
    public List<StoredCompletion> all(PreparedStatement statement) throws SQLException {
        List<StoredCompletion> out = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                out.add(completion(rows));
            }
        }
        return out;
    }

    private PreparedStatement prepared(Connection connection, String select, CompletionFilter filter, String tail)
            throws SQLException {
        WhereClause where = new WhereClause();
        if (filter.from() != null) {
            where.and("ts >= ?", filter.from());
        }
        if (filter.until() != null) {
            where.and("ts < ?", filter.until());
        }
        where.taskAndOutcome(filter);
        PreparedStatement statement = connection.prepareStatement(select + " FROM " + source(connection) + where.sql() + tail);
        try {
            where.bind(statement, dialect);
            statement.setFetchSize(FETCH_SIZE);
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    private String quoted() {
        return "\"" + dialect.table() + "\"";
    }

    /**
     * What the queries read from: the table, or for a table another tool made that lacks some of the
     * recorder's columns (the classic experiment's {@code messages(ts, msg)}, not yet opened by a
     * recorder, which would add them), the table with those columns as NULL, so that reading never
     * needs to alter it.
     */
    private String source(Connection connection) throws SQLException {
        if (complete) {
            return quoted();
        }
        java.util.Set<String> present = new java.util.HashSet<>();
        try (ResultSet columns = connection.getMetaData().getColumns(null, null, dialect.table(), "%")) {
            while (columns.next()) {
                present.add(columns.getString("COLUMN_NAME").toLowerCase(java.util.Locale.ROOT));
            }
        }
        if (present.isEmpty() || present.containsAll(RECORDER_COLUMNS)) {
            // No table at all is reported by the query itself, as before.
            complete = !present.isEmpty();
            return quoted();
        }
        List<String> columns = new ArrayList<>(RECORDER_COLUMNS);
        String host = dialect.hostColumn();
        if (host.matches("[a-z_]+")) {
            columns.add(host);
        }
        List<String> selected = new ArrayList<>();
        for (String column : columns) {
            selected.add(present.contains(column) ? column : "NULL AS " + column);
        }
        return "(SELECT " + String.join(", ", selected) + " FROM " + quoted() + ") AS " + quoted();
    }

    private static UUID uuid(String text) {
        if (text == null) {
            return null;
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
