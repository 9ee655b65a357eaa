package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.internal.Stores;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Reads recorded completions back: filtered rows, summaries with duration percentiles, the latest
 * rows, and whether an id is present (which settles a record whose outcome was unknown). Reads the
 * same table a {@link MetricsRecorder} of the same configuration writes, on SQLite or PostgreSQL,
 * with the same results for the same rows; never writes. Thread-safe; opens a connection per call.
 *
 * <pre>{@code
 * try (MetricsReader reader = MetricsReader.open(SqliteConfig.defaults(Path.of("metrics.db")))) {
 *     for (SummaryGroup group : reader.summarize(CompletionFilter.since(Duration.ofHours(24)),
 *             Set.of(GroupBy.TASK, GroupBy.OUTCOME))) {
 *         System.out.println(group.task() + " " + group.outcome() + " " + group.count() + " p99 " + group.p99Ms());
 *     }
 * }
 * }</pre>
 */
public interface MetricsReader extends AutoCloseable {

    /**
     * A reader of {@code config}'s table. Nothing is opened or created until the first read; a
     * missing file or table fails that read with a {@link MetricsException}.
     */
    static MetricsReader open(StoreConfig config) {
        return Stores.reader(config, null);
    }

    /** A reader of {@code config}'s table on the server behind {@code dataSource}. */
    static MetricsReader open(PostgresConfig config, javax.sql.DataSource dataSource) {
        return Stores.reader(config, java.util.Objects.requireNonNull(dataSource, "dataSource"));
    }

    /**
     * The rows {@code filter} selects, oldest first, streamed from the database (never all in memory).
     * Close the stream (try-with-resources) to release its connection.
     */
    Stream<StoredCompletion> completions(CompletionFilter filter);

    /** The newest {@code limit} rows {@code filter} selects, newest first. */
    List<StoredCompletion> latest(CompletionFilter filter, int limit);

    /**
     * The {@code limit} rows {@code filter} selects that took longest, longest first (rows without a
     * duration are left out; equal durations newest first).
     */
    List<StoredCompletion> slowest(CompletionFilter filter, int limit);

    /** Whether a row with {@code id} is in the table. */
    boolean contains(UUID id);

    /**
     * The rows {@code filter} selects, grouped by {@code groupBy} (task, outcome and at most one time
     * bucket), in order of bucket, task and outcome (rows without a task or outcome first). One pass
     * over the rows; memory grows with the number of groups only.
     *
     * @throws IllegalArgumentException if {@code groupBy} holds more than one time bucket
     */
    List<SummaryGroup> summarize(CompletionFilter filter, Set<GroupBy> groupBy);

    /**
     * {@link #summarize} over the rows still in the table and the rows that retention deleted after
     * rolling them up into the per-day table ({@link MetricsRetention#prune}), so counts and
     * percentiles over months stay available. Each row is in exactly one of the two. Rolled-up rows
     * are kept per UTC day: a rolled-up day counts when it overlaps the filter's time range, and
     * such a summary is grouped by day or by no time bucket.
     *
     * @throws IllegalArgumentException if {@code groupBy} holds a minute or hour bucket
     */
    List<SummaryGroup> summarizeWithRolledUp(CompletionFilter filter, Set<GroupBy> groupBy);

    /**
     * How far behind each server this file is forwarded to is ({@link MetricsForwarder}): the rows
     * recorded here that it does not hold yet, and the age of the first of them. Empty for a file that
     * was never forwarded, and on PostgreSQL (the central side keeps no marks).
     */
    List<ForwardingLag> forwarding();

    /** Releases what the reader holds. */
    @Override
    void close();
}
