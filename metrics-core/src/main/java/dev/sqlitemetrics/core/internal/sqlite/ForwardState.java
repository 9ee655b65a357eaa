package dev.sqlitemetrics.core.internal.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Where a file's forwarding progress is kept: table {@code <table>_forwarded} in the file itself,
 * one row per server it ships to, each naming the last row that server holds (its rowid, and its id
 * to notice renumbered rows), how many were shipped and when. It also holds the file's identity,
 * made once. Pruning reads it too: a row after any server's mark is never deleted.
 */
final class ForwardState {
    private final String table;
    private final String records;

    ForwardState(String recordsTable) {
        this.records = recordsTable;
        this.table = recordsTable + "_forwarded";
    }

    String table() {
        return table;
    }

    /** One server's progress. */
    record Mark(String target, UUID source, long shippedThrough, String shippedThroughId, long shipped,
                Instant shippedAt) {
    }

    String createSql() {
        return "CREATE TABLE IF NOT EXISTS \"" + table + "\" (target TEXT PRIMARY KEY, source TEXT NOT NULL,"
                + " shipped_through INTEGER NOT NULL, shipped_through_id TEXT, shipped INTEGER NOT NULL,"
                + " shipped_at TEXT)";
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

    /** Every server's mark, in no particular order; empty when the file was never forwarded. */
    List<Mark> marks(Connection connection) throws SQLException {
        List<Mark> marks = new ArrayList<>();
        if (!exists(connection)) {
            return marks;
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT target, source, shipped_through,"
                + " shipped_through_id, shipped, shipped_at FROM \"" + table + "\" ORDER BY target");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                marks.add(new Mark(rows.getString(1), UUID.fromString(rows.getString(2)), rows.getLong(3),
                        rows.getString(4), rows.getLong(5), SqliteReadSide.parseTime(rows.getString(6))));
            }
        }
        return marks;
    }

    /**
     * The condition that keeps pruning off unshipped rows: none after the lowest mark, and never the
     * newest row, whose rowid SQLite would otherwise hand out again (the mark would then skip new rows).
     * Empty for a file that was never forwarded. Evaluated inside the pruning transaction.
     */
    String onlyShipped(Connection connection) throws SQLException {
        if (!exists(connection)) {
            return "";
        }
        return " AND rowid <= (SELECT coalesce(min(shipped_through), 0) FROM \"" + table + "\")"
                + " AND rowid < (SELECT max(rowid) FROM \"" + records + "\")";
    }
}
