package dev.sqlitemetrics.core.internal.write;

/**
 * Where the writer commits batches: the one seam between the store-agnostic group commit and a
 * particular database. Internal: not part of the API.
 */
public interface BatchStore extends AutoCloseable {

    /**
     * Commits every record of {@code batch} in one transaction, or none. Once the transaction holds
     * the write lock, and before it inserts, the store lets late joiners into the batch
     * ({@link Batch#admitLateJoiners()}); they are then part of the batch for every outcome.
     *
     * <p>Returns only when every record is durably present. On failure it leaves no transaction
     * open and throws a classified {@link StoreFailure}; where the outcome was unknown, it has read
     * the ids back and names the ones present.
     *
     * @param deadline an attempt waits for locks no longer than this
     * @param rewrite  an earlier attempt's COMMIT had an unknown outcome: rows of the batch that are
     *                 already present must be written again, not skipped, so that this COMMIT's sync
     *                 covers them (after a failed fsync their pages may never reach the disk)
     */
    void commit(Batch batch, Deadline deadline, boolean rewrite);

    /**
     * Told, from the recorder's watchdog thread, that the batch in flight passed its deadline while a
     * statement of it still runs: a store that can ask its database to stop that statement does so
     * (a server's cancel request). Must not block; by default nothing.
     */
    default void deadlinePassed() {
    }

    /**
     * Whether a batch committed now cannot outlive its deadline by more than a moment: its statements
     * are bounded (a server's socket timeout) and its connection is open and in use (opening or
     * checking one may take longer). Only then may a caller commit on its own thread: a caller stuck
     * in a statement that never returns (an {@code fsync} on a file system that hangs) could not be
     * answered at its deadline. Asked by the holder of the writer's role. False by default.
     */
    default boolean answersWithinDeadline() {
        return false;
    }

    /** Rows in the table, including rows written by other clients. */
    long count();

    /** Releases connections; idempotent. */
    @Override
    void close();
}
