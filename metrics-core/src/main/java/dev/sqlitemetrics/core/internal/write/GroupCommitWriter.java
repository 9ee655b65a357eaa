package dev.sqlitemetrics.core.internal.write;

import dev.sqlitemetrics.core.RecorderListener;
import dev.sqlitemetrics.core.Retry;
import dev.sqlitemetrics.core.WriteOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The one writer of a recorder: callers enqueue records, a single thread drains the queue and
 * commits everything waiting in one transaction (group commit), so a burst of N callers costs a
 * handful of commits instead of N. A record's future completes only after its transaction's COMMIT
 * returned. Internal: not part of the API.
 */
public final class GroupCommitWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    /** A batch that needed this many attempts is worth a warning: something holds the lock long. */
    private static final int WARN_ATTEMPTS = 10;
    /** Longest wait for the callers of the last batch to come back; well under one fsync. */
    private static final long STRAGGLER_WAIT_NANOS = 100_000;
    private static final PendingRecord STOP = new PendingRecord(new UUID(0, 0), 0, "", null, null, null, null,
            new CompletableFuture<>(), false);

    private final BatchStore store;
    private final BlockingQueue<PendingRecord> queue;
    private final int maxBatchSize;
    private final Retry retry;
    private final BusyRetry busyRetry;
    private final RecorderListener listener;
    private final Callers callers;
    private final Supplier<RuntimeException> closedFailure;
    private final Thread thread;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile boolean closing;
    private volatile boolean stopped;
    /** Set after a failure that forbids further writes (a corrupt file). Writer thread only. */
    private StoreFailure fatal;
    /** The writer has taken the STOP sentinel. Writer thread only. */
    private boolean stopSeen;

    /**
     * @param store         where batches are committed
     * @param queueCapacity records that may wait before {@link #submit} blocks
     * @param maxBatchSize  most records in one transaction
     * @param retry         busy retry settings
     * @param listener      observer of the write path
     * @param translator    turns store failures into public exceptions
     * @param closedFailure the exception for records offered after close
     * @param threadName    the writer thread's name
     */
    public GroupCommitWriter(BatchStore store, int queueCapacity, int maxBatchSize, Retry retry,
                             RecorderListener listener, FailureTranslator translator,
                             Supplier<RuntimeException> closedFailure, String threadName) {
        this.store = store;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.maxBatchSize = maxBatchSize;
        this.retry = retry;
        this.listener = listener;
        this.callers = new Callers(translator, listener, GroupCommitWriter::notifyListener);
        this.closedFailure = closedFailure;
        this.busyRetry = new BusyRetry(retry, this::retrying);
        this.thread = new Thread(this::drainUntilStopped, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Hands a record to the writer, waiting for queue space if a burst filled it.
     *
     * @throws InterruptedException if interrupted while waiting for space; the record is then not taken
     */
    public void submit(PendingRecord record) throws InterruptedException {
        if (closing) {
            throw closedFailure.get();
        }
        queue.put(record);
        // The writer sets 'stopped' before its final sweep of the queue: if we see it unset, the
        // sweep will see our record; if we see it set and can still remove the record, nobody took it.
        if (stopped && queue.remove(record)) {
            throw closedFailure.get();
        }
    }

    /** Takes a record back if the writer has not picked it up yet. */
    public boolean withdraw(PendingRecord record) {
        return queue.remove(record);
    }

    /** Stops taking records, commits everything already taken, and waits for the writer to finish. Idempotent. */
    @Override
    public void close() {
        if (!closing) {
            synchronized (this) {
                if (!closing) {
                    closing = true;
                    putUninterruptibly(STOP);
                }
            }
        }
        terminated.join();
    }

    private void putUninterruptibly(PendingRecord record) {
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(record);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * When the last batch was bigger than what is waiting now, its callers are most likely on their
     * way back with their next records (they were woken by the last commit): wait a few microseconds
     * for them, so one fsync serves them all instead of a trickle of small commits. Never waits when
     * the callers come one at a time, so a lone caller pays nothing.
     */
    private void gatherStragglers(List<PendingRecord> batch, int expected) {
        long deadline = System.nanoTime() + STRAGGLER_WAIT_NANOS;
        while (batch.size() < Math.min(expected, maxBatchSize) && System.nanoTime() < deadline) {
            if (queue.drainTo(batch, maxBatchSize - batch.size()) == 0) {
                Thread.onSpinWait();
                Thread.yield();
            }
        }
    }

    /** Moves queued records into {@code records}, up to the batch bound; called once the store holds the write lock. */
    private void admitLateJoiners(List<PendingRecord> records) {
        while (records.size() < maxBatchSize) {
            PendingRecord next = queue.poll();
            if (next == null) {
                return;
            }
            if (next == STOP) {
                stopSeen = true;
                return;
            }
            records.add(next);
        }
    }

    private void drainUntilStopped() {
        List<PendingRecord> batch = new ArrayList<>(maxBatchSize);
        Batch growing = new Batch(batch, this::admitLateJoiners);
        int lastBatchSize = 1;
        try {
            while (!stopSeen || !queue.isEmpty()) {
                batch.clear();
                if (!stopSeen) {
                    batch.add(takeUninterruptibly());
                }
                queue.drainTo(batch, maxBatchSize - batch.size());
                if (!stopSeen && !batch.contains(STOP)) {
                    gatherStragglers(batch, lastBatchSize);
                }
                if (batch.remove(STOP)) {
                    stopSeen = true;
                }
                if (!batch.isEmpty()) {
                    // Nothing interrupts the writer on purpose; a stray interrupt must not abort a backoff.
                    Thread.interrupted();
                    commitGuarded(growing);
                    lastBatchSize = batch.size();
                }
            }
            stopped = true;
            batch.clear();
            queue.drainTo(batch);
            for (PendingRecord late : batch) {
                callers.fail(late, closedFailure.get());
            }
        } catch (Error e) {
            // Out of memory or worse: the batch in flight has an unknown outcome, the queued records
            // were never taken. Fail them all, then die.
            LOG.error("sqlite-metrics writer thread failed; failing the records it holds", e);
            stopped = true;
            callers.fail(batch, new StoreFailure("the writer thread failed: " + e, e, StoreFailure.Kind.OTHER, -1,
                    WriteOutcome.UNKNOWN, false), 0, Duration.ZERO);
            List<PendingRecord> queued = new ArrayList<>();
            queue.drainTo(queued);
            queued.remove(STOP);
            callers.fail(queued, StoreFailure.notWritten("the writer thread failed before taking the record: " + e, e,
                    StoreFailure.Kind.OTHER, -1, false), 0, Duration.ZERO);
            throw e;
        } finally {
            terminated.complete(null);
        }
    }

    /** Commits a batch; a defect anywhere in the path fails the batch as unknown instead of killing the writer. */
    private void commitGuarded(Batch batch) {
        long start = System.nanoTime();
        try {
            commit(batch);
        } catch (RuntimeException bug) {
            LOG.error("sqlite-metrics writer failed unexpectedly; the batch's outcome is unknown", bug);
            callers.fail(batch.records(), new StoreFailure("unexpected failure in the writer: " + bug, bug, StoreFailure.Kind.OTHER, -1,
                    WriteOutcome.UNKNOWN, false), 0, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private PendingRecord takeUninterruptibly() {
        while (true) {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                // Nobody interrupts the writer but a JVM shutting down; keep draining what callers wait on.
                LOG.debug("sqlite-metrics writer interrupted; continuing to drain");
            }
        }
    }

    private void commit(Batch batch) {
        long start = System.nanoTime();
        int[] attempts = {0};
        boolean[] uncertain = {false};
        try {
            if (fatal != null) {
                throw fatal;
            }
            Deadline deadline = Deadline.after(retry.deadline());
            busyRetry.run(() -> {
                attempts[0]++;
                try {
                    store.commit(batch, deadline, uncertain[0]);
                } catch (StoreFailure failure) {
                    uncertain[0] |= failure.outcome() == WriteOutcome.UNKNOWN;
                    throw failure;
                }
            });
            callers.acknowledge(batch.records());
            notifyCommitted(batch.records().size(), attempts[0], Duration.ofNanos(System.nanoTime() - start));
        } catch (StoreFailure failure) {
            if (failure.kind() == StoreFailure.Kind.INVALID && batch.records().size() > 1 && !uncertain[0]) {
                // One record's content sank the batch: commit them one by one so only it fails.
                for (PendingRecord record : batch.records()) {
                    commit(Batch.of(List.of(record)));
                }
                return;
            }
            if (failure.kind() == StoreFailure.Kind.CORRUPT) {
                fatal = failure;
            }
            callers.fail(batch.records(), uncertain[0] ? failure.asUnknown() : failure, attempts[0],
                    Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private void retrying(StoreFailure failure, int attempt) {
        notifyListener(() -> listener.onRetry(attempt, failure.resultCode()));
    }

    private void notifyCommitted(int records, int attempts, Duration elapsed) {
        if (attempts >= WARN_ATTEMPTS) {
            LOG.warn("sqlite-metrics batch of {} records needed {} attempts over {}ms: another writer holds the lock long",
                    records, attempts, elapsed.toMillis());
        }
        notifyListener(() -> listener.onBatchCommitted(records, attempts, elapsed));
    }

    private static void notifyListener(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("sqlite-metrics listener threw; ignoring", e);
        }
    }
}
