package dev.sqlitemetrics.core.internal.read;

import dev.sqlitemetrics.core.CompletionFilter;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.function.BiConsumer;

/**
 * The per-day roll-up table {@code <table>_daily}: one row per UTC day, task and outcome with the
 * count, the exact longest duration and a compressed HdrHistogram; an empty task, outcome or day
 * stands for rows without one. Written by pruning, read by pruning and by summaries. Internal: not part of the API.
 */
final class DailyTable {
    private final ReadDialect dialect;
    private final String name;

    /** A day, task and outcome as the table keys them (empty: none). */
    record Key(String day, String task, String outcome) {
        /** The key of a row recorded at {@code time} (or at no readable time). */
        static Key of(Instant time, String task, String outcome) {
            return new Key(time == null ? "" : LocalDate.ofInstant(time, ZoneOffset.UTC).toString(), text(task), text(outcome));
        }

        /** The start of the day, or {@code null} for rows without a readable time. */
        Instant start() {
            return day.isEmpty() ? null : LocalDate.parse(day).atStartOfDay(ZoneOffset.UTC).toInstant();
        }

        private static String text(String value) {
            return value == null ? "" : value;
        }
    }

    /** The roll-up table beside {@code dialect}'s table. */
    DailyTable(ReadDialect dialect) {
        this.dialect = dialect;
        this.name = "\"" + name(dialect.table()) + "\"";
    }

    /** {@code <table>_daily}, within PostgreSQL's 63 characters. */
    static String name(String table) {
        String name = table + "_daily";
        if (name.length() <= 63) {
            return name;
        }
        String hash = Integer.toHexString(table.hashCode());
        return table.substring(0, 63 - "_daily".length() - hash.length() - 1) + "_" + hash + "_daily";
    }

    /** Creates the table unless it exists, with the column types of {@code types}' store. */
    void create(Connection connection, PruneDialect types) throws SQLException {
        try (Statement create = connection.createStatement()) {
            create.execute("CREATE TABLE IF NOT EXISTS " + name + " (day TEXT NOT NULL, task TEXT NOT NULL,"
                    + " outcome TEXT NOT NULL, count " + types.bigintType() + " NOT NULL, with_duration "
                    + types.bigintType() + " NOT NULL, max_ms DOUBLE PRECISION, histogram " + types.bytesType()
                    + ", PRIMARY KEY (day, task, outcome))");
        }
    }

    /** Adds {@code added} to its row (read, merged here, written back: one pruner at a time holds the table). */
    void merge(Connection connection, Key key, DurationStats added) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT count, with_duration, max_ms, histogram FROM "
                + name + " WHERE day = ? AND task = ? AND outcome = ?")) {
            select.setString(1, key.day());
            select.setString(2, key.task());
            select.setString(3, key.outcome());
            try (ResultSet rows = select.executeQuery()) {
                if (rows.next()) {
                    added.merge(rows.getLong(1), rows.getLong(2), maxOf(rows, 3), rows.getBytes(4));
                }
            }
        }
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + name
                + " (day, task, outcome, count, with_duration, max_ms, histogram) VALUES (?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (day, task, outcome) DO UPDATE SET count = excluded.count,"
                + " with_duration = excluded.with_duration, max_ms = excluded.max_ms, histogram = excluded.histogram")) {
            upsert.setString(1, key.day());
            upsert.setString(2, key.task());
            upsert.setString(3, key.outcome());
            upsert.setLong(4, added.count);
            upsert.setLong(5, added.withDuration);
            if (Double.isNaN(added.max)) {
                upsert.setNull(6, Types.DOUBLE);
            } else {
                upsert.setDouble(6, added.max);
            }
            upsert.setBytes(7, added.encodedHistogram());
            upsert.executeUpdate();
        }
    }

    /**
     * Hands every stored day that {@code filter} selects to {@code each}, oldest first. A day is
     * selected when it overlaps the filter's time range (its rows are kept per day only); rows
     * without a readable time only by a filter without a range. Nothing when the table is missing.
     */
    void forEach(Connection connection, CompletionFilter filter, BiConsumer<Key, DurationStats> each) throws SQLException {
        if (!exists(connection)) {
            return;
        }
        WhereClause where = new WhereClause();
        if (filter.from() != null || filter.until() != null) {
            where.and("day <> ''");
        }
        if (filter.from() != null) {
            where.and("day >= ?", LocalDate.ofInstant(filter.from(), ZoneOffset.UTC).toString());
        }
        if (filter.until() != null) {
            Instant until = filter.until();
            boolean midnight = until.truncatedTo(ChronoUnit.DAYS).equals(until);
            where.and("day < ?", LocalDate.ofInstant(until, ZoneOffset.UTC).plusDays(midnight ? 0 : 1).toString());
        }
        where.taskAndOutcome(filter);
        try (PreparedStatement select = connection.prepareStatement("SELECT day, task, outcome, count, with_duration, max_ms,"
                + " histogram FROM " + name + where.sql() + " ORDER BY day, task, outcome")) {
            where.bind(select, dialect);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Key key = new Key(rows.getString(1), rows.getString(2), rows.getString(3));
                    each.accept(key, DurationStats.stored(rows.getLong(4), rows.getLong(5), maxOf(rows, 6), rows.getBytes(7)));
                }
            }
        }
    }

    private boolean exists(Connection connection) throws SQLException {
        try (ResultSet tables = connection.getMetaData().getTables(null, null, name(dialect.table()), null)) {
            return tables.next();
        }
    }

    private static double maxOf(ResultSet rows, int column) throws SQLException {
        double max = rows.getDouble(column);
        return rows.wasNull() ? Double.NaN : max;
    }

    /** A key's task or outcome as a summary shows it: {@code null} for none. */
    static String shown(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
