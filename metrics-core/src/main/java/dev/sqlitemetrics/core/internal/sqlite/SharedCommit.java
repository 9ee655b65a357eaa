package dev.sqlitemetrics.core.internal.sqlite;

import dev.sqlitemetrics.core.WriteOutcome;
import dev.sqlitemetrics.core.internal.sqlite.spool.SharedSpool;
import dev.sqlitemetrics.core.internal.sqlite.spool.SpooledRecords;
import dev.sqlitemetrics.core.internal.sqlite.spool.Taken;
import dev.sqlitemetrics.core.internal.write.Batch;
import dev.sqlitemetrics.core.internal.write.Deadline;
import dev.sqlitemetrics.core.internal.write.PendingRecord;
import dev.sqlitemetrics.core.internal.write.StoreFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Cross-process group commit: the writers of every process of one host that record to one database
 * put their batches in a shared spool, and whichever of them holds the database's lock file commits
 * the records of all of them in one transaction. A writer that finds the lock taken does not queue
 * for it: it waits for the holder to finish, and usually finds that the holder committed its
 * records too. Internal: not part of the API.
 *
 * <p>The spool only saves transactions; it never decides that a record is written. A record counts
 * as committed only when a leader marked it so after its COMMIT returned; whatever else becomes of
 * it (a leader failed, died, or gave it up), its own writer commits it the usual way, writing it
 * again rather than skipping it when a leader may have written it already, and then reporting a
 * failure of its own as an unknown outcome: the row may be in the file. A writer never waits for a
 * leader past its own deadline.
 */
final class SharedCommit implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SharedCommit.class);
    /** Larger batches already spread their sync over many records: they are committed directly. */
    private static final int MAX_SPOOLED_BATCH = 256;
    private static final long FIRST_PAUSE_NANOS = 20_000;
    private static final long LONGEST_PAUSE_NANOS = 500_000;

    /** Commits records taken from the spool in one transaction; holding the lock file is the caller's part. */
    interface Transaction {
        /**
         * @param rewrite   rows already present must be written again (an earlier leader may have
         *                  committed them without its sync completing)
         * @param forOthers whether records of other processes are among them
         * @throws dev.sqlitemetrics.core.internal.write.StoreFailure when the transaction failed
         */
        void commit(List<PendingRecord> records, boolean rewrite, boolean forOthers, Deadline deadline);
    }

    private final SharedSpool spool;
    private final SidecarLock sidecar;
    private final int maxBatchSize;
    private final Transaction transaction;
    /** Positions of own records a leader still held when their deadline passed; freed once it settles them. */
    private final List<Long> inDoubt = new ArrayList<>();

    private SharedCommit(SharedSpool spool, SidecarLock sidecar, int maxBatchSize, Transaction transaction) {
        this.spool = spool;
        this.sidecar = sidecar;
        this.maxBatchSize = maxBatchSize;
        this.transaction = transaction;
    }

    /**
     * The shared spool of {@code database} for records of {@code kind} (table and durability
     * settings), or {@code null} when commits cannot be shared: where the lock file or the spool
     * cannot be used, or while processes with other settings share the spool. The caller keeps it
     * off network file systems, whose hosts share no memory.
     */
    static SharedCommit open(Path database, FileIdentity identity, String kind, SidecarLock sidecar,
                             Duration lockWait, int maxBatchSize, Transaction transaction) {
        long key = fingerprint(kind + "\n" + identity.key());
        SharedSpool spool = SharedSpool.open(database, key, action -> {
            SidecarLock.Held held;
            try {
                held = sidecar.acquireExclusive(System.nanoTime() + lockWait.toNanos());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (held == null) {
                return false;
            }
            try (held) {
                action.run();
            }
            return true;
        });
        return spool == null ? null : new SharedCommit(spool, sidecar, maxBatchSize, transaction);
    }

    /** Whether {@code batch} goes through the spool: small enough, and its callers can be told early. */
    boolean takes(Batch batch) {
        return batch.acknowledgesEarly() && batch.waitsForLocks() && batch.records().size() <= MAX_SPOOLED_BATCH;
    }

    /**
     * Puts the batch's records in the spool, waits until a leader (this writer or another process's)
     * settled each of them, and acknowledges the committed ones through the batch, which then holds
     * only the records still to commit.
     *
     * <p>Never waits past {@code deadline}: records no leader took by then are withdrawn (certainly
     * not written), and records a leader still holds are left to it. Those, and any a leader settled
     * as {@code FAILED}, may be in the file: the caller must then write the batch again rather than
     * skip present rows, and report any failure of its own as an unknown outcome.
     *
     * @return whether a leader may have written any of the records left in the batch
     */
    boolean commit(Batch batch, Deadline deadline) {
        freeSettledInDoubt();
        List<PendingRecord> records = batch.records();
        long[] positions = new long[records.size()];
        boolean any = false;
        for (int i = 0; i < positions.length; i++) {
            byte[] payload = SpooledRecords.encode(records.get(i));
            positions[i] = payload == null ? -1 : spool.publish(payload);
            any |= positions[i] >= 0;
        }
        if (!any) {
            return false;
        }
        // From here a leader may commit them: should this writer be stuck past its deadline, its callers hear UNKNOWN.
        batch.mayHaveBeenWritten();
        boolean[] withdrawn = awaitSettled(positions, deadline);
        List<PendingRecord> committed = new ArrayList<>();
        boolean mayBeWritten = false;
        for (int i = 0; i < positions.length; i++) {
            if (positions[i] < 0 || withdrawn[i]) {
                continue;
            }
            int state = spool.state(positions[i]);
            if (state == SharedSpool.COMMITTED) {
                committed.add(records.get(i));
            } else if (state != SharedSpool.NOT_WRITTEN) {
                // A leader failed at or after its COMMIT, still holds it past our deadline, or its slot
                // moved on: it may be in the file, perhaps without its sync having completed.
                mayBeWritten = true;
            }
            if (SharedSpool.isSettled(state)) {
                spool.free(positions[i]);
            } else {
                inDoubt.add(positions[i]);
            }
        }
        batch.acknowledgeCommitted(committed);
        return mayBeWritten;
    }

    /** Frees the slots of records left to a leader past their deadline, once that leader settled them. */
    private void freeSettledInDoubt() {
        inDoubt.removeIf(position -> {
            if (!SharedSpool.isSettled(spool.state(position))) {
                return false;
            }
            spool.free(position);
            return true;
        });
    }

    /**
     * Waits until every spooled record is settled, leading whenever the lock file is free, until the
     * deadline: then withdraws the records no leader took (they are certain not to be written) and
     * stops waiting. Returns which records it withdrew; the others are settled or held by a leader.
     */
    private boolean[] awaitSettled(long[] positions, Deadline deadline) {
        boolean[] withdrawn = new boolean[positions.length];
        long pause = FIRST_PAUSE_NANOS;
        while (!allSettled(positions, withdrawn)) {
            if (deadline.remaining().isZero()) {
                for (int i = 0; i < positions.length; i++) {
                    withdrawn[i] = positions[i] >= 0 && spool.withdraw(positions[i]);
                }
                return withdrawn;
            }
            SidecarLock.Held held = sidecar.tryAcquireExclusive();
            if (held != null) {
                try {
                    lead(deadline);
                } finally {
                    held.close();
                }
                pause = FIRST_PAUSE_NANOS;
            } else {
                LockSupport.parkNanos(Math.min(pause, Math.max(1, deadline.remaining().toNanos())));
                pause = Math.min(2 * pause, LONGEST_PAUSE_NANOS);
            }
        }
        return withdrawn;
    }

    private boolean allSettled(long[] positions, boolean[] withdrawn) {
        for (int i = 0; i < positions.length; i++) {
            if (positions[i] >= 0 && !withdrawn[i] && !SharedSpool.isSettled(spool.state(positions[i]))) {
                return false;
            }
        }
        return true;
    }

    /**
     * One leader's turn, holding the lock file: takes what every process published, commits it in one
     * transaction and settles it, committed or failed, before the lock is released; a failure is
     * left to each record's writer, which commits its records itself and reports what it meets.
     */
    private void lead(Deadline deadline) {
        List<Taken> taken = spool.take(maxBatchSize);
        if (taken.isEmpty()) {
            return;
        }
        StoreFailure failure = null;
        boolean committed = false;
        try {
            boolean forOthers = taken.stream().anyMatch(Taken::foreign);
            boolean rewrite = taken.stream().anyMatch(Taken::orphan);
            if (forOthers) {
                CrashPoint.LEADER_AFTER_TAKE.reach();
            }
            List<PendingRecord> records = new ArrayList<>(taken.size());
            for (Taken record : taken) {
                records.add(SpooledRecords.decode(record.payload()));
            }
            transaction.commit(records, rewrite, forOthers, deadline);
            if (forOthers) {
                CrashPoint.LEADER_AFTER_COMMIT.reach();
            }
            committed = true;
        } catch (StoreFailure e) {
            failure = e;
            LOG.debug("sqlite-metrics: a shared commit through {} failed; each writer commits its own records",
                    spool.path(), e);
        } catch (RuntimeException | Error e) {
            LOG.debug("sqlite-metrics: a shared commit through {} failed; each writer commits its own records",
                    spool.path(), e);
        } finally {
            boolean certainlyNotWritten = failure != null && failure.outcome() == WriteOutcome.NOT_WRITTEN;
            for (Taken record : taken) {
                // An orphan may have been committed by the leader that took it first, whatever this
                // transaction did; anything else that failed after BEGIN may be in the file.
                spool.settle(record, committed ? SharedSpool.COMMITTED
                        : certainlyNotWritten && !record.orphan() ? SharedSpool.NOT_WRITTEN : SharedSpool.FAILED);
            }
        }
    }

    @Override
    public void close() {
        spool.close();
    }

    /** FNV-1a, 64 bits: a stable fingerprint of the settings that processes must share to share commits. */
    private static long fingerprint(String text) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            hash ^= text.charAt(i);
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
