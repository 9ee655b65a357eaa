package dev.sqlitemetrics.core.internal.read;

import dev.sqlitemetrics.core.CompletionFilter;
import dev.sqlitemetrics.core.GroupBy;
import dev.sqlitemetrics.core.PruneResult;
import dev.sqlitemetrics.core.SummaryGroup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deletes old rows in small transactions, each first folding its rows into the per-day table when
 * asked: the same SQL on every store. Internal: not part of the API.
 */
public final class Pruning {
    /**
     * What a batch aims at holding the write lock for: a recorder waiting for it waits about this
     * much longer (LEVERS.md: 40 ms batches made the recorders' p99 9x, 10 ms 4.5x, 3 ms with the
     * pause below 1.6x).
     */
    static final Duration TARGET = Duration.ofMillis(3);
    /**
     * While writers wait for the lock, a batch is followed by a pause this many times as long as it
     * held the lock: pruning then takes at most a quarter of the lock's time, and most recorder
     * batches wait for no prune at all. With no writer waiting, pruning runs at full speed.
     */
    static final int PAUSE_FACTOR = 3;
    /** A wait for the lock shorter than this is no sign of busy writers. */
    static final Duration CONTENDED = Duration.ofNanos(200_000);
    static final int FIRST_BATCH = 50;
    static final int MIN_BATCH = 10;
    static final int MAX_BATCH = 50_000;

    private final PruneDialect dialect;
    private final String table;
    private final DailyTable daily;

    public Pruning(PruneDialect dialect) {
        this.dialect = dialect;
        this.table = "\"" + dialect.table() + "\"";
        this.daily = new DailyTable(dialect);
    }

    /** Rows older than {@code before} that pruning may delete. */
    public long countBefore(Connection connection, Instant before) throws SQLException {
        try (PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM " + table + " WHERE ts < ?"
                + dialect.onlyDeletable(connection))) {
            dialect.bindTime(count, 1, before);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** Deletes every row older than {@code before}, batch by batch, telling {@code deleted} each batch's count once committed. */
    public PruneResult prune(Connection connection, Instant before, boolean rollUp, java.util.function.LongConsumer deleted)
            throws SQLException {
        long total = 0;
        int batches = 0;
        long longest = 0;
        int size = FIRST_BATCH;
        Batch batch = new Batch();
        while (true) {
            int removed = batch(connection, before, size, rollUp, batch);
            long took = batch.held;
            if (removed > 0) {
                total += removed;
                batches++;
                deleted.accept(removed);
                longest = Math.max(longest, took);
            }
            if (removed < size) {
                // Nothing older is left (rows recorded meanwhile are newer than the cut-off).
                break;
            }
            if (batch.waited >= CONTENDED.toNanos()) {
                pause(took * PAUSE_FACTOR);
            }
            // Aim the next batch at the target from what this one took per row.
            double perRow = (double) took / removed;
            size = (int) Math.max(MIN_BATCH, Math.min(MAX_BATCH, TARGET.toNanos() / Math.max(1.0, perRow)));
        }
        return new PruneResult(total, rollUp ? total : 0, batches, Duration.ofNanos(longest),
                dialect.heldBack(connection, before));
    }

    /** How long a batch waited for the write lock and then held it, in nanoseconds. */
    private static final class Batch {
        long waited;
        long held;
    }

    private static void pause(long nanos) throws SQLException {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted between two batches (every batch so far is committed)", e);
        }
    }

    /** One transaction: deletes up to {@code size} rows (rolled up first when asked); notes its times in {@code times}. */
    private int batch(Connection connection, Instant before, int size, boolean rollUp, Batch times) throws SQLException {
        times.waited = dialect.begin(connection);
        long start = System.nanoTime();
        try {
            Map<DailyTable.Key, DurationStats> days = new HashMap<>();
            int removed = 0;
            String locator = dialect.rowLocator();
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE " + locator
                    + " IN (SELECT " + locator + " FROM " + table + " WHERE ts < ?" + dialect.onlyDeletable(connection)
                    + " ORDER BY ts LIMIT " + size
                    + ") RETURNING ts, task, outcome, duration_ms")) {
                dialect.bindTime(delete, 1, before);
                try (ResultSet rows = delete.executeQuery()) {
                    while (rows.next()) {
                        removed++;
                        days.computeIfAbsent(DailyTable.Key.of(dialect.time(rows, 1), rows.getString(2), rows.getString(3)),
                                k -> new DurationStats()).add(rows.getObject(4));
                    }
                }
            }
            dialect.deleted(connection, removed);
            if (rollUp && removed > 0) {
                daily.create(connection, dialect);
                for (Map.Entry<DailyTable.Key, DurationStats> day : days.entrySet()) {
                    daily.merge(connection, day.getKey(), day.getValue());
                }
            }
            dialect.commit(connection);
            times.held = System.nanoTime() - start;
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

    /** The per-day table's rows as summary groups, by day, task and outcome. */
    public List<SummaryGroup> dailySummaries(Connection connection) throws SQLException {
        Summarizer days = new Summarizer(Set.of(GroupBy.DAY, GroupBy.TASK, GroupBy.OUTCOME), dialect);
        days.addRolledUp(connection, CompletionFilter.ALL);
        return days.groups();
    }
}
