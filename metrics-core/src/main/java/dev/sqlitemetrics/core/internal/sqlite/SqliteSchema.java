package dev.sqlitemetrics.core.internal.sqlite;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The records table: how it is created, and the check that an existing one has the shape the
 * recorder needs. A superset of the classic {@code messages(ts, msg)} table: other clients can still run
 * {@code INSERT INTO messages (msg) VALUES (?)}; rows they add have no id.
 */
final class SqliteSchema {
    /** Column name to declared type, in table order. */
    static final Map<String, String> COLUMNS = columns();

    private final String table;

    SqliteSchema(String table) {
        this.table = table;
    }

    private static Map<String, String> columns() {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("ts", "TEXT");
        columns.put("msg", "TEXT");
        columns.put("id", "TEXT");
        columns.put("task", "TEXT");
        columns.put("outcome", "TEXT");
        columns.put("duration_ms", "REAL");
        columns.put("attributes", "TEXT");
        columns.put("pid", "INTEGER");
        return columns;
    }

    /**
     * The index the read side needs, by name: time ranges ({@code ts}); a task's rows are filtered
     * within the range. Each index slows every insert (a second one on {@code (task, ts)} cost a
     * further 10-30% of the recorder's throughput), so there is one. Idempotent DDL.
     */
    Map<String, String> indexSql() {
        return Map.of(table + "_ts", "CREATE INDEX IF NOT EXISTS \"" + table + "_ts\" ON \"" + table + "\" (ts)");
    }

    /** What creates the table and its indexes, in order. */
    List<String> creation() {
        List<String> statements = new ArrayList<>(List.of(createSql()));
        statements.addAll(indexSql().values());
        return statements;
    }

    /** Idempotent DDL: the unique constraint on {@code id} is what {@code ON CONFLICT(id)} needs. */
    String createSql() {
        return "CREATE TABLE IF NOT EXISTS \"" + table + "\" ("
                + "ts TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')), "
                + "msg TEXT, "
                + "id TEXT UNIQUE, "
                + "task TEXT, "
                + "outcome TEXT, "
                + "duration_ms REAL, "
                + "attributes TEXT, "
                + "pid INTEGER)";
    }

    /** This process's id, written as a literal: it is the same for every row the process inserts. */
    private static final long PID = ProcessHandle.current().pid();

    /** The upsert of {@code rows} structured completions (7 parameters each), idempotent on the record id. */
    String insertSql(int rows) {
        return "INSERT INTO \"" + table + "\" (id, ts, msg, task, outcome, duration_ms, attributes, pid) VALUES "
                + tuples("(?, ?, ?, ?, ?, ?, ?, " + PID + ")", rows) + " ON CONFLICT(id) DO NOTHING";
    }

    /** The upsert of {@code rows} plain messages (3 parameters each), idempotent on the record id. */
    String insertPlainSql(int rows) {
        return "INSERT INTO \"" + table + "\" (id, ts, msg, pid) VALUES " + tuples("(?, ?, ?, " + PID + ")", rows)
                + " ON CONFLICT(id) DO NOTHING";
    }

    /**
     * The upsert of one completion of another process (8 parameters, the last its pid): for records a
     * leader commits for the other processes of the host's shared spool.
     */
    String insertOfProcessSql() {
        return "INSERT INTO \"" + table + "\" (id, ts, msg, task, outcome, duration_ms, attributes, pid) VALUES"
                + " (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING";
    }

    private static String tuples(String tuple, int rows) {
        return String.join(", ", java.util.Collections.nCopies(rows, tuple));
    }

    /**
     * Removes a record's row before it is written again. When a batch is retried after a COMMIT of
     * unknown outcome, its rows may be visible but not durable (their fsync failed, and Linux may
     * mark the pages clean anyway). An upsert that finds the row, even one that sets the same values,
     * leaves the page untouched (SQLite skips identical overwrites), so the new COMMIT would sync
     * nothing; deleting and inserting again dirties the page, and the COMMIT must sync it.
     */
    String deleteByIdSql() {
        return "DELETE FROM \"" + table + "\" WHERE id = ?";
    }

    String table() {
        return table;
    }

    /** Every way the existing table differs from what the recorder needs; empty when it fits. */
    List<String> differences(Connection connection) throws SQLException {
        Shape shape = shape(connection);
        Map<String, String> actual = shape.types();
        List<String> differences = new ArrayList<>();
        for (String name : shape.requiredExtras()) {
            differences.add("extra column " + name + " is NOT NULL without a default, so inserts would fail");
        }
        for (Map.Entry<String, String> column : COLUMNS.entrySet()) {
            String type = actual.get(column.getKey());
            if (type == null) {
                differences.add("missing column " + column.getKey() + " " + column.getValue());
            } else if (!fits(column.getKey(), type)) {
                differences.add("column " + column.getKey() + " has type " + (type.isEmpty() ? "(none)" : type)
                        + ", expected " + column.getValue());
            }
        }
        if (actual.containsKey("id") && !hasUniqueIdIndex(connection)) {
            differences.add("no UNIQUE constraint or index on (id)");
        }
        return differences;
    }

    /**
     * Declared types of {@code ts} taken as they are: the recorder's {@code TEXT}, and what the classic
     * experiment's table and other tools declare ({@code DATE}, {@code DATETIME}, {@code TIMESTAMP}, none).
     * The recorder always writes the time as text; SQLite keeps text that is no number as text whatever
     * the column's affinity.
     */
    private static final java.util.Set<String> TIME_TYPES = java.util.Set.of("TEXT", "DATE", "DATETIME", "TIMESTAMP", "");

    private static boolean fits(String column, String declared) {
        return column.equals("ts") ? TIME_TYPES.contains(declared.toUpperCase(Locale.ROOT))
                : declared.equalsIgnoreCase(COLUMNS.get(column));
    }

    /**
     * What makes a table of the classic experiment's shape ({@code ts} and {@code msg}, and none or some
     * of the recorder's other columns) the recorder's: a column added for each one missing, and a unique
     * index on {@code id} when {@code id} is one of them. Empty when the table fits already; empty too,
     * with the differences left for {@link #differences} to report, when it has another shape (a column
     * of another type, a NOT NULL column without a default, an {@code id} without a unique index):
     * such a table is never altered.
     */
    List<String> adoption(Connection connection) throws SQLException {
        Shape shape = shape(connection);
        Map<String, String> actual = shape.types();
        if (!shape.requiredExtras().isEmpty() || !actual.containsKey("ts") || !actual.containsKey("msg")) {
            return List.of();
        }
        List<String> statements = new ArrayList<>();
        for (Map.Entry<String, String> column : COLUMNS.entrySet()) {
            String type = actual.get(column.getKey());
            if (type == null) {
                statements.add("ALTER TABLE \"" + table + "\" ADD COLUMN " + column.getKey() + " " + column.getValue());
            } else if (!fits(column.getKey(), type)) {
                return List.of();
            }
        }
        if (actual.containsKey("id")) {
            if (!hasUniqueIdIndex(connection)) {
                return List.of();
            }
        } else {
            statements.add("CREATE UNIQUE INDEX IF NOT EXISTS \"" + table + "_id\" ON \"" + table + "\" (id)");
        }
        return statements;
    }

    /**
     * The existing table's columns: name (lower case) to declared type, in table order, and the columns
     * not the recorder's that are NOT NULL without a default (inserts that leave them out would fail).
     */
    private record Shape(Map<String, String> types, List<String> requiredExtras) {
    }

    private Shape shape(Connection connection) throws SQLException {
        Map<String, String> types = new LinkedHashMap<>();
        List<String> requiredExtras = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("PRAGMA table_xinfo(\"" + table + "\")")) {
            while (rows.next()) {
                String name = rows.getString("name").toLowerCase(Locale.ROOT);
                types.put(name, rows.getString("type"));
                boolean required = rows.getInt("notnull") == 1 && rows.getString("dflt_value") == null
                        && rows.getInt("pk") == 0;
                if (required && !COLUMNS.containsKey(name)) {
                    requiredExtras.add(name);
                }
            }
        }
        return new Shape(types, requiredExtras);
    }

    private boolean hasUniqueIdIndex(Connection connection) throws SQLException {
        List<String> unique = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("PRAGMA index_list(\"" + table + "\")")) {
            while (rows.next()) {
                if (rows.getInt("unique") == 1 && rows.getInt("partial") == 0) {
                    unique.add(rows.getString("name"));
                }
            }
        }
        for (String index : unique) {
            List<String> columns = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("PRAGMA index_info(\"" + index.replace("\"", "\"\"") + "\")")) {
                while (rows.next()) {
                    columns.add(String.valueOf(rows.getString("name")).toLowerCase(Locale.ROOT));
                }
            }
            if (columns.equals(List.of("id"))) {
                return true;
            }
        }
        return false;
    }
}
