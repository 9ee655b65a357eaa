package dev.sqlitemetrics.core.internal.write;

import dev.sqlitemetrics.core.WriteOutcome;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The records of one transaction, in commit order, and the gate its COMMIT passes. A batch can grow
 * once its transaction holds the write lock: records that callers queued while the writer waited for
 * that lock join it then ({@link #admitLateJoiners()}) instead of waiting for the writer's next turn,
 * which behind the writers of other processes is a long wait. Internal: not part of the API.
 *
 * <p>The gate makes "past the deadline" and "COMMIT sent" one decision. A store calls
 * {@link #enterCommit()} just before it sends COMMIT (on a server: the statement that commits), and
 * {@link #commitEnded(boolean)} once it knows how that went. When a statement never returns, the
 * recorder's deadline watchdog {@link #expire() expires} the batch and answers its callers: NOT_WRITTEN
 * if the batch never entered its COMMIT (and then it never will: {@code enterCommit} refuses), UNKNOWN
 * otherwise. A batch made of part of another ({@link #part}) shares its gate.
 */
public final class Batch {
    private final List<PendingRecord> records;
    private final Consumer<List<PendingRecord>> lateJoiners;
    private final Consumer<List<PendingRecord>> committedEarly;
    private final Gate gate;
    private final boolean waitsForLocks;

    /** What the watchdog and the writer decide together; guarded by itself. */
    private static final class Gate {
        /** When the batch's retry deadline ends, on the nanosecond clock; {@code Long.MAX_VALUE}: never. */
        final long deadlineNanos;
        boolean committing;
        boolean mayBeWritten;
        boolean expired;
        boolean seenOverdue;

        Gate(long deadlineNanos) {
            this.deadlineNanos = deadlineNanos;
        }
    }

    /** The records the watchdog answered, and how. */
    public record Expired(List<PendingRecord> records, WriteOutcome outcome) {
    }

    /**
     * @param records        the batch's records; must be mutable when {@code lateJoiners} is given
     * @param lateJoiners    appends the records waiting now to the list it is given, up to the size bound
     * @param committedEarly acknowledges records committed before the batch's own transaction
     * @param deadline       the batch's retry deadline, or {@code null} for a batch no watchdog expires
     */
    Batch(List<PendingRecord> records, Consumer<List<PendingRecord>> lateJoiners,
          Consumer<List<PendingRecord>> committedEarly, Deadline deadline) {
        this(records, lateJoiners, committedEarly, new Gate(deadline == null ? Long.MAX_VALUE : deadline.nanos()));
    }

    private Batch(List<PendingRecord> records, Consumer<List<PendingRecord>> lateJoiners,
                  Consumer<List<PendingRecord>> committedEarly, Gate gate) {
        this(records, lateJoiners, committedEarly, gate, true);
    }

    private Batch(List<PendingRecord> records, Consumer<List<PendingRecord>> lateJoiners,
                  Consumer<List<PendingRecord>> committedEarly, Gate gate, boolean waitsForLocks) {
        this.records = records;
        this.lateJoiners = lateJoiners;
        this.committedEarly = committedEarly;
        this.gate = gate;
        this.waitsForLocks = waitsForLocks;
    }

    /**
     * A caller's own record, committed on its own thread: nobody joins it, and its one attempt waits
     * for no lock (a store that would have to wait fails it busy, certainly not written, and the caller
     * hands the record to the writer thread instead).
     */
    static Batch direct(List<PendingRecord> records, Consumer<List<PendingRecord>> committedEarly, Deadline deadline) {
        return new Batch(records, null, committedEarly, new Gate(deadline.nanos()), false);
    }

    /** The same batch, its later attempts waiting for locks as usual. */
    Batch waitingForLocks() {
        return new Batch(records, lateJoiners, committedEarly, gate, true);
    }

    /** Whether an attempt may wait for the database's lock; false for a caller's own attempt (see {@link #direct}). */
    public boolean waitsForLocks() {
        return waitsForLocks;
    }

    /** A batch of exactly these records: nobody joins it, it is acknowledged as a whole, and no watchdog expires it. */
    public static Batch of(List<PendingRecord> records) {
        return new Batch(records, null, null, (Deadline) null);
    }

    /** A batch of some of this one's records, passing the same gate: what expires one expires both. */
    Batch part(List<PendingRecord> some) {
        return new Batch(some, null, null, gate);
    }

    /** The records, including those that joined; the list the writer acknowledges or fails. */
    public List<PendingRecord> records() {
        return records;
    }

    /**
     * Lets the records queued since the batch was formed join it. The store calls this once its
     * transaction holds the write lock and before it inserts, so the joiners share the transaction
     * and its one sync; on a retry it may be called again. An expired batch takes no one.
     */
    public void admitLateJoiners() {
        if (lateJoiners != null) {
            synchronized (gate) {
                if (!gate.expired) {
                    lateJoiners.accept(records);
                }
            }
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
            synchronized (gate) {
                records.removeIf(done::contains);
            }
            committedEarly.accept(committed);
        }
    }

    /** Whether {@link #acknowledgeCommitted} may be used. */
    public boolean acknowledgesEarly() {
        return committedEarly != null;
    }

    /**
     * Called just before the COMMIT is sent: false if the batch expired (its callers were told it was
     * not written), and the store must then roll back instead.
     */
    public boolean enterCommit() {
        synchronized (gate) {
            if (gate.expired) {
                return false;
            }
            gate.committing = true;
            return true;
        }
    }

    /** Called once the COMMIT's fate is known: {@code certainlyNotWritten} when it rolled back. */
    public void commitEnded(boolean certainlyNotWritten) {
        synchronized (gate) {
            gate.committing = false;
            gate.mayBeWritten |= !certainlyNotWritten;
        }
    }

    /** Records that another transaction (a shared commit's leader) may write: the batch is in doubt from here. */
    public void mayHaveBeenWritten() {
        synchronized (gate) {
            gate.mayBeWritten = true;
        }
    }

    /** The batch's retry deadline. */
    Deadline deadline() {
        return new Deadline(gate.deadlineNanos);
    }

    /** Whether the deadline passed more than {@code marginNanos} ago, on the nanosecond clock at {@code now}. */
    boolean overdue(long now, long marginNanos) {
        return gate.deadlineNanos != Long.MAX_VALUE && now - gate.deadlineNanos > marginNanos;
    }

    /** True the first time it is called once the batch is overdue: the watchdog acts on a deadline once. */
    boolean firstOverdueLook() {
        synchronized (gate) {
            boolean first = !gate.seenOverdue;
            gate.seenOverdue = true;
            return first;
        }
    }

    /** Whether the watchdog answered this batch's callers. */
    boolean expired() {
        synchronized (gate) {
            return gate.expired;
        }
    }

    /**
     * The watchdog's decision: from now on no COMMIT is sent for this batch, and its callers are
     * answered as what it is certain of. Returns {@code null} if it was expired already.
     */
    Expired expire() {
        synchronized (gate) {
            if (gate.expired) {
                return null;
            }
            gate.expired = true;
            return new Expired(List.copyOf(records),
                    gate.committing || gate.mayBeWritten ? WriteOutcome.UNKNOWN : WriteOutcome.NOT_WRITTEN);
        }
    }
}
