package dev.sqlitemetrics.core.internal.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The records table on PostgreSQL: the same columns and meaning as on SQLite, in PostgreSQL's types,
 * plus {@code host}, so that rows from many hosts can be told apart, and {@code source}, the identity
 * of the SQLite file a forwarded row came from (empty for rows recorded here directly; tables made
 * before it get it from the first forwarder). Other clients can still run
 * {@code INSERT INTO messages (msg) VALUES (...)}; rows they add have no id.
 */
final class PostgresSchema {
    /** Column name to {@code information_schema} data type, in table order. */
    static final Map<String, String> COLUMNS = columns();

    private final String table;

    PostgresSchema(String table) {
        this.table = table;
    }

    private static Map<String, String> columns() {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("ts", "timestamp with time zone");
        columns.put("msg", "text");
        columns.put("id", "uuid");
        columns.put("task", "text");
        columns.put("outcome", "text");
        columns.put("duration_ms", "double precision");
        columns.put("attributes", "jsonb");
        columns.put("pid", "integer");
        columns.put("host", "text");
        return columns;
    }

    String table() {
        return table;
    }

    /**
     * Creates the table if it is missing. Concurrent {@code CREATE TABLE IF NOT EXISTS} of one table
     * can fail with a unique violation on {@code pg_type}: sessions on many hosts take a transaction
     * advisory lock named after the table first, so they create it one after another.
     */
    void create(Connection connection) throws SQLException {
        inTransaction(connection, () -> {
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))");
                 Statement create = connection.createStatement()) {
                lock.setString(1, "sqlite-metrics table " + table);
                lock.execute();
                if (exists(connection)) {
                    // Its shape is checked next; indexes it lacks are built concurrently after that.
                    return;
                }
                create.execute("CREATE TABLE \"" + table + "\" ("
                        + "ts timestamptz NOT NULL DEFAULT now(), "
                        + "msg text, "
                        + "id uuid UNIQUE, "
                        + "task text, "
                        + "outcome text, "
                        + "duration_ms double precision, "
                        + "attributes jsonb, "
                        + "pid integer, "
                        + "host text, "
                        + "source text)");
                // A new, empty table: building its indexes in the same transaction costs nothing.
                for (String index : indexNames().keySet()) {
                    create.execute(indexSql(index, false));
                }
            }
        });
    }

    /** Work inside one transaction. */
    @FunctionalInterface
    private interface Work {
        void run() throws SQLException;
    }

    /** Runs {@code work} in a transaction of its own, committed, or rolled back when it throws. */
    private static void inTransaction(Connection connection, Work work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            work.run();
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /**
     * Adds the {@code source} column to a table made without it: a nullable column without default,
     * which PostgreSQL adds without rewriting the table; its brief exclusive lock waits at most 5 s
     * (writers queue behind it), then fails as busy and is tried again later.
     */
    void addSourceColumn(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT count(*) FROM information_schema.columns"
                + " WHERE table_schema = current_schema() AND table_name = ? AND column_name = 'source'")) {
            select.setString(1, table);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                if (rows.getLong(1) > 0) {
                    return;
                }
            }
        }
        inTransaction(connection, () -> {
            try (Statement alter = connection.createStatement()) {
                alter.execute("SET LOCAL lock_timeout = '5s'");
                alter.execute("ALTER TABLE \"" + table + "\" ADD COLUMN IF NOT EXISTS source text");
            }
        });
    }

    private boolean exists(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            select.setString(1, "\"" + table + "\"");
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }

    /**
     * The read side's index by name: time ranges (a task's rows are filtered within the range; each
     * index slows every insert), its name within PostgreSQL's 63 characters however long the table's is.
     */
    Map<String, String> indexNames() {
        return Map.of(indexName("_ts"), "(ts)");
    }

    private String indexName(String suffix) {
        String name = table + suffix;
        if (name.length() <= 63) {
            return name;
        }
        String hash = Integer.toHexString(table.hashCode());
        return table.substring(0, 63 - suffix.length() - hash.length() - 1) + "_" + hash + suffix;
    }

    private String indexSql(String name, boolean concurrently) {
        return "CREATE INDEX " + (concurrently ? "CONCURRENTLY " : "") + "IF NOT EXISTS \"" + name + "\" ON \"" + table
                + "\" " + indexNames().get(name);
    }

    /**
     * Adds the read side's indexes to a table made without them, without blocking writers: {@code CREATE
     * INDEX CONCURRENTLY}, outside any transaction, one session at a time (a {@code pg_try_advisory_lock}
     * polled until {@code deadlineNanos}: a session waiting inside {@code pg_advisory_lock} would be a
     * transaction the concurrent build waits for). An invalid index a failed build left is rebuilt.
     * Returns the indexes still missing when the deadline passed (another session is building them).
     */
    List<String> addMissingIndexes(Connection connection, long deadlineNanos) throws SQLException, InterruptedException {
        if (missingIndexes(connection).isEmpty()) {
            return List.of();
        }
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(true);
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))");
             PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(hashtext(?))");
             Statement ddl = connection.createStatement()) {
            lock.setString(1, "sqlite-metrics indexes " + table);
            unlock.setString(1, "sqlite-metrics indexes " + table);
            while (true) {
                try (ResultSet rows = lock.executeQuery()) {
                    rows.next();
                    if (rows.getBoolean(1)) {
                        break;
                    }
                }
                if (System.nanoTime() > deadlineNanos) {
                    return missingIndexes(connection);
                }
                Thread.sleep(50);
            }
            try {
                for (String name : missingIndexes(connection)) {
                    ddl.execute("DROP INDEX CONCURRENTLY IF EXISTS \"" + name + "\"");
                    ddl.execute(indexSql(name, true));
                }
            } finally {
                unlock.execute();
            }
            return missingIndexes(connection);
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** The read side's indexes that are absent or invalid (a concurrent build that failed). */
    List<String> missingIndexes(Connection connection) throws SQLException {
        List<String> missing = new ArrayList<>();
        try (PreparedStatement valid = connection.prepareStatement("SELECT i.indisvalid FROM pg_index i JOIN pg_class c"
                + " ON c.oid = i.indexrelid WHERE i.indrelid = to_regclass(?) AND c.relname = ?")) {
            for (String name : indexNames().keySet()) {
                valid.setString(1, "\"" + table + "\"");
                valid.setString(2, name);
                try (ResultSet rows = valid.executeQuery()) {
                    if (!rows.next() || !rows.getBoolean(1)) {
                        missing.add(name);
                    }
                }
            }
        }
        return missing;
    }

    /** What differs between the table as it is and as the recorder needs it; empty when it fits. */
    List<String> differences(Connection connection) throws SQLException {
        Map<String, String> actual = new LinkedHashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT column_name, data_type FROM"
                + " information_schema.columns WHERE table_schema = current_schema() AND table_name = ?"
                + " ORDER BY ordinal_position")) {
            select.setString(1, table);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    actual.put(rows.getString(1), rows.getString(2));
                }
            }
        }
        List<String> differences = new ArrayList<>();
        COLUMNS.forEach((column, type) -> {
            String found = actual.get(column);
            if (found == null) {
                differences.add("column " + column + " is missing (expected " + type + ")");
            } else if (!found.equals(type)) {
                differences.add("column " + column + " is " + found + ", expected " + type);
            }
        });
        try (PreparedStatement unique = connection.prepareStatement("SELECT count(*) FROM pg_index i JOIN pg_attribute a"
                + " ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] WHERE i.indrelid = to_regclass(?)"
                + " AND i.indisunique AND i.indnatts = 1 AND a.attname = 'id'")) {
            unique.setString(1, "\"" + table + "\"");
            try (ResultSet rows = unique.executeQuery()) {
                rows.next();
                if (rows.getLong(1) == 0) {
                    differences.add("no unique index on id alone (the idempotency key)");
                }
            }
        }
        actual.forEach((column, type) -> {
            if (!COLUMNS.containsKey(column)) {
                checkExtraColumn(connection, column, differences);
            }
        });
        return differences;
    }

    /** An extra column is fine only if an insert that leaves it out still works: nullable or with a default. */
    private void checkExtraColumn(Connection connection, String column, List<String> differences) {
        try (PreparedStatement select = connection.prepareStatement("SELECT is_nullable, column_default FROM"
                + " information_schema.columns WHERE table_schema = current_schema() AND table_name = ?"
                + " AND column_name = ?")) {
            select.setString(1, table);
            select.setString(2, column);
            try (ResultSet rows = select.executeQuery()) {
                if (rows.next() && "NO".equals(rows.getString(1)) && rows.getString(2) == null) {
                    differences.add("extra column " + column + " is NOT NULL without a default, so inserts would fail");
                }
            }
        } catch (SQLException e) {
            differences.add("extra column " + column + " could not be checked: " + e.getMessage());
        }
    }
}
