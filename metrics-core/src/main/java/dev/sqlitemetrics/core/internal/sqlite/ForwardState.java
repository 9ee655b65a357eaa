package dev.sqlitemetrics.core.internal.sqlite;

import dev.sqlitemetrics.core.HeldBack;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Where a file's forwarding progress is kept, in the file itself. Table {@code <table>_forwarded}
 * has one row per server that received rows (a server is there only once something was shipped to
 * it), each naming the last row that server holds (its rowid, and its id to notice renumbered rows),
 * how many rows at or below that mark the file holds ({@code kept}: a row that appears below the mark
 * later, a foreign client's explicit rowid, shows as a difference), how many were shipped and when.
 * Table {@code <table>_forwarded_source} holds the file's identity, made once. Pruning reads the
 * marks too: a row after any server's mark is never deleted.
 */
final class ForwardState {
    private final String table;
    private final String sourceTable;
    private final String records;

    ForwardState(String recordsTable) {
        this.records = recordsTable;
        this.table = recordsTable + "_forwarded";
        this.sourceTable = recordsTable + "_forwarded_source";
    }

    String table() {
        return table;
    }

    /**
     * One server's progress.
     *
     * @param kept rows at or below the mark when it was last checked, or -1 where a file of an
     *             earlier version never counted them
     */
    record Mark(String target, UUID source, long shippedThrough, String shippedThroughId, long kept, long shipped,
                Instant shippedAt) {
    }

    /** Creates both tables and the file's identity where missing; run in a write transaction. Returns the identity. */
    UUID create(Connection connection) throws SQLException {
        execute(connection, "CREATE TABLE IF NOT EXISTS \"" + table + "\" (target TEXT PRIMARY KEY, source TEXT NOT NULL,"
                + " shipped_through INTEGER NOT NULL, shipped_through_id TEXT, shipped INTEGER NOT NULL,"
                + " shipped_at TEXT, kept INTEGER)");
        if (!hasColumn(connection, table, "kept")) {
            execute(connection, "ALTER TABLE \"" + table + "\" ADD COLUMN kept INTEGER");
        }
        execute(connection, "CREATE TABLE IF NOT EXISTS \"" + sourceTable + "\" (id TEXT NOT NULL)");
        UUID source = source(connection);
        if (source == null) {
            // A file forwarded by an earlier version kept its identity in each server's row.
            List<Mark> marks = marks(connection);
            source = marks.isEmpty() ? UUID.randomUUID() : marks.get(0).source();
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO \"" + sourceTable + "\" (id) VALUES (?)")) {
                insert.setString(1, source.toString());
                insert.executeUpdate();
            }
        }
        return source;
    }

    private UUID source(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id FROM \"" + sourceTable + "\" LIMIT 1")) {
            return rows.next() ? UUID.fromString(rows.getString(1)) : null;
        }
    }

    boolean exists(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
            select.setString(1, table);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** Every server's mark, by target; empty when the file was never forwarded. */
    List<Mark> marks(Connection connection) throws SQLException {
        List<Mark> marks = new ArrayList<>();
        if (!exists(connection)) {
            return marks;
        }
        boolean counted = hasColumn(connection, table, "kept");
        try (PreparedStatement select = connection.prepareStatement("SELECT target, source, shipped_through,"
                + " shipped_through_id, shipped, shipped_at" + (counted ? ", kept" : "") + " FROM \"" + table
                + "\" ORDER BY target");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                long kept = counted ? rows.getLong(7) : -1;
                if (counted && rows.wasNull()) {
                    kept = -1;
                }
                marks.add(new Mark(rows.getString(1), UUID.fromString(rows.getString(2)), rows.getLong(3),
                        rows.getString(4), kept, rows.getLong(5), SqliteReadSide.parseTime(rows.getString(6))));
            }
        }
        return marks;
    }

    /**
     * Moves a server's mark past {@code throughId} at {@code through}, {@code rows} more rows shipped,
     * adding the server's row at its first shipment; inside a write transaction. Counts are moved
     * relative to what the file holds, so that a prune's decrement in between is kept.
     */
    void advance(Connection connection, String target, UUID source, long through, String throughId, long rows,
                 Instant at, SqliteReadSide time) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO \"" + table + "\" (target, source,"
                + " shipped_through, shipped_through_id, shipped, shipped_at, kept) VALUES (?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT(target) DO UPDATE SET shipped_through = excluded.shipped_through,"
                + " shipped_through_id = excluded.shipped_through_id, shipped = shipped + excluded.shipped,"
                + " shipped_at = excluded.shipped_at, kept = kept + excluded.kept")) {
            upsert.setString(1, target);
            upsert.setString(2, source.toString());
            upsert.setLong(3, through);
            upsert.setString(4, throughId);
            upsert.setLong(5, rows);
            time.bindTime(upsert, 6, at);
            upsert.setLong(7, rows);
            upsert.executeUpdate();
        }
    }

    /** Sets a server's mark back to the file's start (its rows were renumbered or replaced); inside a write transaction. */
    void reset(Connection connection, String target) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE \"" + table + "\" SET shipped_through = 0,"
                + " shipped_through_id = NULL, kept = 0 WHERE target = ?")) {
            update.setString(1, target);
            update.executeUpdate();
        }
    }

    /** Sets how many rows the file holds at or below a server's mark; inside a write transaction. */
    void recount(Connection connection, String target, long kept) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE \"" + table + "\" SET kept = ? WHERE target = ?")) {
            update.setLong(1, kept);
            update.setString(2, target);
            update.executeUpdate();
        }
    }

    /** Renames a server's row (a mark kept under an earlier name of the same server); inside a write transaction. */
    void rename(Connection connection, String from, String to) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE \"" + table + "\" SET target = ? WHERE target = ?")) {
            update.setString(1, to);
            update.setString(2, from);
            update.executeUpdate();
        }
    }

    /** Forgets a server: its row goes, and with it what it held back from pruning. Returns whether it was there. */
    boolean forget(Connection connection, String target) throws SQLException {
        if (!exists(connection)) {
            return false;
        }
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM \"" + table + "\" WHERE target = ?")) {
            delete.setString(1, target);
            return delete.executeUpdate() > 0;
        }
    }

    /** Rows at or below {@code through}: what the file holds of what a server received. */
    long countThrough(Connection connection, long through) throws SQLException {
        try (PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM \"" + records
                + "\" WHERE rowid <= ?")) {
            count.setLong(1, through);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /**
     * The condition that keeps pruning off unshipped rows: none after the lowest mark, and never the
     * newest row, whose rowid SQLite would otherwise hand out again (the mark would then skip new rows).
     * Empty for a file no server received rows from. Evaluated inside the pruning transaction.
     */
    String onlyShipped(Connection connection) throws SQLException {
        if (!exists(connection)) {
            return "";
        }
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT 1 FROM \"" + table + "\" LIMIT 1")) {
            if (!rows.next()) {
                // No server received anything yet (or every one was forgotten): the first will start from row 1.
                return "";
            }
        }
        return " AND rowid <= (SELECT coalesce(min(shipped_through), 0) FROM \"" + table + "\")"
                + " AND rowid < (SELECT max(rowid) FROM \"" + records + "\")";
    }

    /** Pruning deleted {@code rows} rows, all at or below every mark: each server's count of them goes down. */
    void deleted(Connection connection, int rows) throws SQLException {
        if (rows > 0 && exists(connection)) {
            try (PreparedStatement update = connection.prepareStatement("UPDATE \"" + table
                    + "\" SET kept = max(0, kept - ?) WHERE kept IS NOT NULL")) {
                update.setInt(1, rows);
                update.executeUpdate();
            }
        }
    }

    /** Per server, the rows older than {@code before} that it has not received: what it keeps pruning from deleting. */
    List<HeldBack> heldBack(Connection connection, SqliteReadSide time, Instant before) throws SQLException {
        List<HeldBack> held = new ArrayList<>();
        for (Mark mark : marks(connection)) {
            try (PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM \"" + records
                    + "\" WHERE rowid > ? AND ts < ?")) {
                count.setLong(1, mark.shippedThrough());
                time.bindTime(count, 2, before);
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    if (rows.getLong(1) > 0) {
                        held.add(new HeldBack(mark.target(), rows.getLong(1), mark.shippedAt()));
                    }
                }
            }
        }
        return held;
    }

    private static boolean hasColumn(Connection connection, String table, String column) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("PRAGMA table_info(\"" + table + "\")")) {
            while (rows.next()) {
                if (rows.getString("name").toLowerCase(Locale.ROOT).equals(column)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
