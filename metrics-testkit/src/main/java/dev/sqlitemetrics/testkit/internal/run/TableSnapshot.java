package dev.sqlitemetrics.testkit.internal.run;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every row of the table, as a check sees it on a fresh connection: rows with an id keyed by the
 * id's exact stored text (so {@code ABC...} and {@code abc...} stay two rows) with the fingerprint of
 * each row's content, and rows without an id (from other clients) as a count and an order-free
 * checksum of their content; and what {@code PRAGMA integrity_check} says. Internal.
 *
 * @param rowsById    per exact id text, each row carrying it: its content fingerprint and stored time
 * @param anonymous   rows without an id
 * @param anonymousSum order-free checksum of the content of the rows without an id
 * @param integrity   {@code ok}, or what is wrong with the table's storage
 */
public record TableSnapshot(Map<String, List<Row>> rowsById, long anonymous, long anonymousSum, String integrity) {

    /**
     * One stored row as a check sees it.
     *
     * @param content    {@link RecordContent#hash} of what it holds
     * @param timeMillis its {@code ts} in epoch milliseconds, or {@code null} for a time that is none
     */
    public record Row(String content, Long timeMillis) {
    }

    /** A table with no rows, as a new file has. */
    public static TableSnapshot empty() {
        return new TableSnapshot(Map.of(), 0, 0, "ok");
    }

    /** Reads the table of {@code target} on a connection of its own. */
    public static TableSnapshot read(Target target) throws SQLException {
        try (Connection connection = target.connect()) {
            return read(target, connection);
        }
    }

    /** Reads the table of {@code target} through {@code connection}, row by row. */
    public static TableSnapshot read(Target target, Connection connection) throws SQLException {
        Map<String, List<Row>> rowsById = new HashMap<>();
        long anonymous = 0;
        long anonymousSum = 0;
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(target.rowsSql())) {
            while (rows.next()) {
                String id = rows.getString(1);
                double duration = rows.getDouble(5);
                Long durationMillis = rows.wasNull() ? null : RecordContent.millis(duration);
                long keys = rows.getLong(6);
                Long attributeCount = rows.wasNull() ? null : keys;
                String content = RecordContent.hash(rows.getString(2), rows.getString(3), rows.getString(4),
                        durationMillis, RecordContent.attributes(attributeCount, rows.getString(7), rows.getString(8)));
                long time = rows.getLong(9);
                Long timeMillis = rows.wasNull() ? null : time;
                if (id == null) {
                    anonymous++;
                    anonymousSum += Long.parseUnsignedLong(content, 16);
                } else {
                    rowsById.computeIfAbsent(id, key -> new ArrayList<>(1)).add(new Row(content, timeMillis));
                }
            }
        }
        return new TableSnapshot(rowsById, anonymous, anonymousSum, target.integrity(connection));
    }

    /** Whether the storage check returned exactly {@code ok}. */
    public boolean integrityOk() {
        return "ok".equals(integrity);
    }

    /** How many rows carry exactly this id text. */
    public int copies(String id) {
        List<Row> rows = rowsById.get(id);
        return rows == null ? 0 : rows.size();
    }

    /** Whether the rows without an id are the same as in {@code other} (count and content). */
    public boolean sameAnonymousRows(TableSnapshot other) {
        return anonymous == other.anonymous && anonymousSum == other.anonymousSum;
    }

    /** Rows with an id that differ from {@code other}: present in one and not the other, or with other content. */
    public long rowsDifferingFrom(TableSnapshot other) {
        long differing = 0;
        for (Map.Entry<String, List<Row>> entry : rowsById.entrySet()) {
            List<Row> theirs = other.rowsById.getOrDefault(entry.getKey(), List.of());
            differing += difference(entry.getValue(), theirs);
        }
        for (Map.Entry<String, List<Row>> entry : other.rowsById.entrySet()) {
            if (!rowsById.containsKey(entry.getKey())) {
                differing += entry.getValue().size();
            }
        }
        return differing + Math.abs(anonymous - other.anonymous) + (anonymousSum != other.anonymousSum
                && anonymous == other.anonymous ? 1 : 0);
    }

    private static long difference(List<Row> mine, List<Row> theirs) {
        List<Row> left = new ArrayList<>(theirs);
        long differing = 0;
        for (Row row : mine) {
            if (!left.remove(row)) {
                differing++;
            }
        }
        return differing + left.size();
    }
}
