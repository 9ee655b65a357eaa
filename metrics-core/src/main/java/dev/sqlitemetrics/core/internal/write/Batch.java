package dev.sqlitemetrics.core.internal.write;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
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
    private final Consumer<List<PendingRecord>> committedEarly;

    /**
     * @param records        the batch's records; must be mutable when {@code lateJoiners} is given
     * @param lateJoiners    appends the records waiting now to the list it is given, up to the size bound
     * @param committedEarly acknowledges records committed before the batch's own transaction
     */
    Batch(List<PendingRecord> records, Consumer<List<PendingRecord>> lateJoiners,
          Consumer<List<PendingRecord>> committedEarly) {
        this.records = records;
        this.lateJoiners = lateJoiners;
        this.committedEarly = committedEarly;
    }

    /** A batch of exactly these records: nobody joins it, and it is acknowledged as a whole. */
    public static Batch of(List<PendingRecord> records) {
        return new Batch(records, null, null);
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

    /**
     * Hands back records that are already committed (by another process's transaction that took
     * them from the host's shared spool): their callers are told now, and they leave the batch, so
     * that whatever happens to the rest cannot be reported for them. Without a way to tell callers
     * early (a batch of exactly its records, see {@link #acknowledgesEarly()}) it must not be called.
     */
    public void acknowledgeCommitted(List<PendingRecord> committed) {
        if (committedEarly == null) {
            throw new IllegalStateException("this batch is acknowledged as a whole");
        }
        if (!committed.isEmpty()) {
            Set<PendingRecord> done = Collections.newSetFromMap(new IdentityHashMap<>());
            done.addAll(committed);
            records.removeIf(done::contains);
            committedEarly.accept(committed);
        }
    }

    /** Whether {@link #acknowledgeCommitted} may be used. */
    public boolean acknowledgesEarly() {
        return committedEarly != null;
    }
}
