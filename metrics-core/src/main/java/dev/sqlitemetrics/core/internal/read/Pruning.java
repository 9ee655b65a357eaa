package dev.sqlitemetrics.core.internal.read;

import dev.sqlitemetrics.core.PruneResult;
import dev.sqlitemetrics.core.SummaryGroup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Deletes old rows in small transactions, each first folding its rows into the per-day table when
 * asked: the same SQL on every store. Internal: not part of the API.
 */
public final class Pruning {
    /**
     * What a batch aims at holding the write lock for: a recorder waiting for it waits about this
     * much longer (LEVERS.md: 40 ms made the recorders' p99 9x, 10 ms 4.5x, 5 ms 2.4x).
     */
    static final Duration TARGET = Duration.ofMillis(5);
    static final int FIRST_BATCH = 50;
    static final int MIN_BATCH = 10;
    static final int MAX_BATCH = 50_000;

    private final PruneDialect dialect;
    private final String table;
    private final String daily;

    public Pruning(PruneDialect dialect) {
        this.dialect = dialect;
        this.table = "\"" + dialect.table() + "\"";
        this.daily = "\"" + dailyName(dialect.table()) + "\"";
    }

    /** {@code <table>_daily}, within PostgreSQL's 63 characters. */
    static String dailyName(String table) {
        String name = table + "_daily";
        if (name.length() <= 63) {
            return name;
        }
        String hash = Integer.toHexString(table.hashCode());
        return table.substring(0, 63 - "_daily".length() - hash.length() - 1) + "_" + hash + "_daily";
    }

    /** Rows older than {@code before}. */
    public long countBefore(Connection connection, Instant before) throws SQLException {
        try (PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM " + table + " WHERE ts < ?")) {
            dialect.bindTime(count, 1, before);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** Deletes every row older than {@code before}, batch by batch. */
    public PruneResult prune(Connection connection, Instant before, boolean rollUp) throws SQLException {
        long deleted = 0;
        int batches = 0;
        long longest = 0;
        int size = FIRST_BATCH;
        while (true) {
            long start = System.nanoTime();
            int removed = batch(connection, before, size, rollUp);
            long took = System.nanoTime() - start;
            if (removed > 0) {
                deleted += removed;
                batches++;
                longest = Math.max(longest, took);
            }
            if (removed < size) {
                // Nothing older is left (rows recorded meanwhile are newer than the cut-off).
                break;
            }
            // Aim the next batch at the target from what this one took per row.
            double perRow = (double) took / removed;
            size = (int) Math.max(MIN_BATCH, Math.min(MAX_BATCH, TARGET.toNanos() / Math.max(1.0, perRow)));
        }
        return new PruneResult(deleted, rollUp ? deleted : 0, batches, Duration.ofNanos(longest));
    }

    private record Key(String day, String task, String outcome) {
    }

    private int batch(Connection connection, Instant before, int size, boolean rollUp) throws SQLException {
        dialect.begin(connection);
        try {
            Map<Key, DurationStats> days = new HashMap<>();
            int removed = 0;
            String locator = dialect.rowLocator();
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE " + locator
                    + " IN (SELECT " + locator + " FROM " + table + " WHERE ts < ? ORDER BY ts LIMIT " + size
                    + ") RETURNING ts, task, outcome, duration_ms")) {
                dialect.bindTime(delete, 1, before);
                try (ResultSet rows = delete.executeQuery()) {
                    while (rows.next()) {
                        removed++;
                        Instant time = dialect.time(rows, 1);
                        String day = time == null ? "" : LocalDate.ofInstant(time, ZoneOffset.UTC).toString();
                        days.computeIfAbsent(new Key(day, text(rows.getString(2)), text(rows.getString(3))), k -> new DurationStats())
                                .add(rows.getObject(4));
                    }
                }
            }
            if (rollUp && removed > 0) {
                createDaily(connection);
                for (Map.Entry<Key, DurationStats> day : days.entrySet()) {
                    merge(connection, day.getKey(), day.getValue());
                }
            }
            dialect.commit(connection);
            return removed;
        } catch (SQLException | RuntimeException e) {
            try {
                dialect.rollback(connection);
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private void createDaily(Connection connection) throws SQLException {
        try (Statement create = connection.createStatement()) {
            create.execute("CREATE TABLE IF NOT EXISTS " + daily + " (day TEXT NOT NULL, task TEXT NOT NULL,"
                    + " outcome TEXT NOT NULL, count " + dialect.bigintType() + " NOT NULL, with_duration "
                    + dialect.bigintType() + " NOT NULL, max_ms DOUBLE PRECISION, histogram " + dialect.bytesType()
                    + ", PRIMARY KEY (day, task, outcome))");
        }
    }

    /** Adds {@code day} to its row of the per-day table (read, merged here, written back: one pruner at a time). */
    private void merge(Connection connection, Key key, DurationStats day) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT count, with_duration, max_ms, histogram FROM "
                + daily + " WHERE day = ? AND task = ? AND outcome = ?")) {
            select.setString(1, key.day());
            select.setString(2, key.task());
            select.setString(3, key.outcome());
            try (ResultSet rows = select.executeQuery()) {
                if (rows.next()) {
                    long count = rows.getLong(1);
                    long withDuration = rows.getLong(2);
                    double max = rows.getDouble(3);
                    day.merge(count, withDuration, rows.wasNull() ? Double.NaN : max, rows.getBytes(4));
                }
            }
        }
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + daily
                + " (day, task, outcome, count, with_duration, max_ms, histogram) VALUES (?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (day, task, outcome) DO UPDATE SET count = excluded.count,"
                + " with_duration = excluded.with_duration, max_ms = excluded.max_ms, histogram = excluded.histogram")) {
            upsert.setString(1, key.day());
            upsert.setString(2, key.task());
            upsert.setString(3, key.outcome());
            upsert.setLong(4, day.count);
            upsert.setLong(5, day.withDuration);
            if (Double.isNaN(day.max)) {
                upsert.setNull(6, java.sql.Types.DOUBLE);
            } else {
                upsert.setDouble(6, day.max);
            }
            upsert.setBytes(7, day.encodedHistogram());
            upsert.executeUpdate();
        }
    }

    /** The per-day table's rows as summary groups, by day, task and outcome. */
    public List<SummaryGroup> dailySummaries(Connection connection) throws SQLException {
        List<SummaryGroup> groups = new ArrayList<>();
        if (!dailyExists(connection)) {
            return groups;
        }
        Map<Key, DurationStats> days = new java.util.LinkedHashMap<>();
        Map<String, Long> perTask = new HashMap<>();
        try (Statement select = connection.createStatement();
             ResultSet rows = select.executeQuery("SELECT day, task, outcome, count, with_duration, max_ms, histogram FROM "
                     + daily + " ORDER BY day, task, outcome")) {
            while (rows.next()) {
                Key key = new Key(rows.getString(1), rows.getString(2), rows.getString(3));
                long count = rows.getLong(4);
                long withDuration = rows.getLong(5);
                double max = rows.getDouble(6);
                days.put(key, DurationStats.stored(count, withDuration, rows.wasNull() ? Double.NaN : max, rows.getBytes(7)));
                perTask.merge(key.day() + "\u0000" + key.task(), count, Long::sum);
            }
        }
        days.forEach((key, day) -> groups.add(new SummaryGroup(empty(key.task()), empty(key.outcome()),
                key.day().isEmpty() ? null : LocalDate.parse(key.day()).atStartOfDay(ZoneOffset.UTC).toInstant(), day.count,
                (double) day.count / perTask.get(key.day() + "\u0000" + key.task()), day.withDuration, day.percentile(50),
                day.percentile(95), day.percentile(99), day.max)));
        return groups;
    }

    private boolean dailyExists(Connection connection) throws SQLException {
        try (ResultSet tables = connection.getMetaData().getTables(null, null, dailyName(dialect.table()), null)) {
            return tables.next();
        }
    }

    private static String empty(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
