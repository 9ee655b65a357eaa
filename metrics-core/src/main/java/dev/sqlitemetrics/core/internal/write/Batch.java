package dev.sqlitemetrics.core.internal.write;

import java.util.List;
import java.util.function.Consumer;

/**
 * The records of one transaction, in commit order. A batch can grow once its transaction holds the
 * write lock: records that callers queued while the writer waited for that lock join it then
 * ({@link #admitLateJoiners()}) instead of waiting for the writer's next turn, which behind the
 * writers of other processes is a long wait. Internal: not part of the API.
 */
public final class Batch {
    private final List<PendingRecord> records;
    private final Consumer<List<PendingRecord>> lateJoiners;

    /**
     * @param records     the batch's records; must be mutable when {@code lateJoiners} is given
     * @param lateJoiners appends the records waiting now to the list it is given, up to the size bound
     */
    Batch(List<PendingRecord> records, Consumer<List<PendingRecord>> lateJoiners) {
        this.records = records;
        this.lateJoiners = lateJoiners;
    }

    /** A batch of exactly these records: nobody joins it. */
    public static Batch of(List<PendingRecord> records) {
        return new Batch(records, null);
    }

    /** The records, including those that joined; the list the writer acknowledges or fails. */
    public List<PendingRecord> records() {
        return records;
    }

    /**
     * Lets the records queued since the batch was formed join it. The store calls this once its
     * transaction holds the write lock and before it inserts, so the joiners share the transaction
     * and its one sync; on a retry it may be called again.
     */
    public void admitLateJoiners() {
        if (lateJoiners != null) {
            lateJoiners.accept(records);
        }
    }
}
