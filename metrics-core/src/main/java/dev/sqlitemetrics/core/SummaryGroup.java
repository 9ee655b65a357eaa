package dev.sqlitemetrics.core;

import java.time.Instant;

/**
 * The figures of one group of a summary. Parts the summary is not grouped by are {@code null}.
 * Duration percentiles come from an HdrHistogram with three significant digits (a reported value is
 * within 0.1% of the exact one); they are {@code NaN} when no row of the group has a duration.
 *
 * @param task         the group's task ({@code null} for rows without one, or when not grouped by task)
 * @param outcome      the group's outcome ({@code null} for rows without one, or when not grouped by outcome)
 * @param bucket       the start of the group's time bucket, or {@code null} when not grouped by time
 * @param count        rows in the group
 * @param share        the group's count over the count of all groups with the same task and bucket:
 *                     the share of this outcome for its task; 1 when not grouped by outcome
 * @param withDuration rows of the group that have a duration
 * @param p50Ms        median duration, milliseconds
 * @param p95Ms        95th percentile duration
 * @param p99Ms        99th percentile duration
 * @param maxMs        longest duration (exact)
 */
public record SummaryGroup(String task, String outcome, Instant bucket, long count, double share, long withDuration,
                           double p50Ms, double p95Ms, double p99Ms, double maxMs) {
}
