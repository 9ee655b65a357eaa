package dev.sqlitemetrics.core.internal.write;

import java.util.List;

/**
 * Where the writer commits batches: the one seam between the store-agnostic group commit and a
 * particular database. Internal: not part of the API.
 */
public interface BatchStore extends AutoCloseable {

    /**
     * Commits every record of {@code batch} in one transaction, or none.
     *
     * <p>Returns only when every record is durably present. On failure it leaves no transaction
     * open and throws a classified {@link StoreFailure}; where the outcome was unknown, it has read
     * the ids back and names the ones present.
     *
     * @param deadline an attempt waits for locks no longer than this
     */
    void commit(List<PendingRecord> batch, Deadline deadline);

    /** Rows in the table, including rows written by other clients. */
    long count();

    /** Releases connections; idempotent. */
    @Override
    void close();
}
