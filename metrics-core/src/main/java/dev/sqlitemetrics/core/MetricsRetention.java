package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.internal.Stores;

import java.time.Instant;
import java.util.List;

/**
 * Keeps the table from growing forever: deletes rows older than a cut-off, optionally folding them
 * first into a per-day summary table ({@code <table>_daily}: counts per day, task and outcome, and a
 * mergeable HdrHistogram of durations, so percentiles over long periods outlive the raw rows). Runs
 * beside live recorders: small transactions (each aims at 3 ms of write lock, adapting its size to
 * what the last one took; on SQLite queued on the recorders' own lock file, so they take turns, and
 * while recorders wait for the lock each is followed by a pause three times as long, so they keep
 * at least three quarters of it), only rows older than the cut-off, and a row is deleted in the same
 * transaction that counts it. Rows other clients inserted (no task, no outcome) are summarised under
 * an empty task and outcome, never dropped uncounted.
 */
public interface MetricsRetention extends AutoCloseable {

    /** Retention on {@code config}'s table (SQLite file or PostgreSQL server). */
    static MetricsRetention open(StoreConfig config) {
        return Stores.retention(config);
    }

    /** How many rows are older than {@code before}: what {@link #prune} would delete now. */
    long countBefore(Instant before);

    /**
     * Deletes every row older than {@code before}, in small transactions; with {@code rollUp}, each
     * transaction first adds its rows to the per-day summary table.
     */
    PruneResult prune(Instant before, boolean rollUp);

    /**
     * The same, telling {@code deleted} how many rows each batch deleted once it committed: for a
     * progress report of a long prune. (This default, for other implementations, reports nothing.)
     */
    default PruneResult prune(Instant before, boolean rollUp, java.util.function.LongConsumer deleted) {
        return prune(before, rollUp);
    }

    /**
     * The per-day summaries rolled up so far, by day, task and outcome (an empty task or outcome: rows
     * without one), oldest first. Percentiles come from the merged histograms.
     */
    List<SummaryGroup> dailySummaries();

    @Override
    void close();
}
