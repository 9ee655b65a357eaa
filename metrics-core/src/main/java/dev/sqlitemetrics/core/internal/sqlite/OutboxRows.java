package dev.sqlitemetrics.core.internal.sqlite;

import dev.sqlitemetrics.core.internal.forward.ForwardedRow;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A metrics file's rows as a forwarder ships them, in rowid (commit) order: every column read as
 * SQLite stored it, whatever another client put there, the time as epoch milliseconds, and an id for
 * every row (a row without one of ours gets one derived from the file's identity and the row).
 */
final class OutboxRows {
    private final String after;
    private final String at;

    OutboxRows(String table) {
        String columns = "SELECT rowid, CAST(id AS TEXT), CAST(ts AS TEXT), CAST(msg AS TEXT), CAST(task AS TEXT),"
                + " CAST(outcome AS TEXT), CASE WHEN typeof(duration_ms) IN ('integer', 'real') THEN duration_ms END,"
                // Text another client stored that is no JSON travels as a JSON string, unchanged.
                + " CASE WHEN attributes IS NULL OR json_valid(attributes) THEN CAST(attributes AS TEXT)"
                + " ELSE json_quote(CAST(attributes AS TEXT)) END,"
                + " CASE WHEN typeof(pid) = 'integer' THEN pid END,"
                // The time in epoch milliseconds, read by SQLite itself (NULL for text that is no time):
                // parsing it in Java took a third of the time of reading a batch.
                + " CAST(round((julianday(ts) - 2440587.5) * 86400000.0) AS INTEGER)"
                + " FROM \"" + table + "\"";
        this.after = columns + " WHERE rowid > ? ORDER BY rowid LIMIT ?";
        this.at = columns + " WHERE rowid = ? LIMIT ?";
    }

    /** Up to {@code max} rows after rowid {@code rowid}, oldest first. */
    List<ForwardedRow> after(Connection connection, long rowid, int max, UUID source) throws SQLException {
        return read(connection, after, rowid, max, source);
    }

    /** The row at rowid {@code rowid}, if there is one. */
    List<ForwardedRow> at(Connection connection, long rowid, UUID source) throws SQLException {
        return read(connection, at, rowid, 1, source);
    }

    private static List<ForwardedRow> read(Connection connection, String sql, long rowid, int max, UUID source)
            throws SQLException {
        List<ForwardedRow> rows = new ArrayList<>(Math.min(max, 1024));
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setLong(1, rowid);
            select.setInt(2, max);
            try (ResultSet found = select.executeQuery()) {
                while (found.next()) {
                    rows.add(row(found, source));
                }
            }
        }
        return rows;
    }

    private static ForwardedRow row(ResultSet found, UUID source) throws SQLException {
        long rowid = found.getLong(1);
        String idText = found.getString(2);
        String time = found.getString(3);
        String message = found.getString(4);
        double duration = found.getDouble(7);
        Double durationMs = found.wasNull() ? null : duration;
        long pid = found.getLong(9);
        Integer pidValue = found.wasNull() || pid != (int) pid ? null : (int) pid;
        long millis = found.getLong(10);
        Instant instant = found.wasNull() ? null : Instant.ofEpochMilli(millis);
        return new ForwardedRow(rowid, id(source, idText, rowid, time, message), instant, message,
                found.getString(5), found.getString(6), durationMs, found.getString(8), pidValue);
    }

    /**
     * The row's record id, or for a row without a well-formed one (another client's insert) an id
     * made from the file's identity, the rowid and the row's time and message: the same every time the
     * row is read, different for every row.
     */
    static UUID id(UUID source, String text, long rowid, String time, String message) {
        if (text != null && text.length() == 36) {
            try {
                UUID id = UUID.fromString(text);
                if (id.toString().equalsIgnoreCase(text)) {
                    return id;
                }
            } catch (IllegalArgumentException e) {
                // Not a record id of ours: derived below.
            }
        }
        String identity = "sqlite-metrics foreign row " + source + " " + rowid + " " + time + " " + message;
        return UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8));
    }
}
