package dev.sqlitemetrics.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a prune did.
 *
 * @param deleted      rows deleted
 * @param rolledUp     of those, rows folded into the per-day summary table first (all of them, or none)
 * @param batches      transactions it took
 * @param longestBatch the longest any of them held the write lock
 * @param heldBack     old rows it kept because a server a forwarded file ships to has not received
 *                     them, per server; empty when nothing was held back
 */
public record PruneResult(long deleted, long rolledUp, int batches, Duration longestBatch, List<HeldBack> heldBack) {

    /** Copies the list; checks that nothing is null. */
    public PruneResult {
        Objects.requireNonNull(longestBatch, "longestBatch");
        heldBack = List.copyOf(heldBack);
    }
}
