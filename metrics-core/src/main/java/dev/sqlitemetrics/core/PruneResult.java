package dev.sqlitemetrics.core;

import java.time.Duration;

/**
 * What a prune did.
 *
 * @param deleted      rows deleted
 * @param rolledUp     of those, rows folded into the per-day summary table first (all of them, or none)
 * @param batches      transactions it took
 * @param longestBatch the longest any of them held the write lock
 */
public record PruneResult(long deleted, long rolledUp, int batches, Duration longestBatch) {
}
