package dev.sqlitemetrics.core.internal.write;

import dev.sqlitemetrics.core.RecorderListener;
import dev.sqlitemetrics.core.RecorderStats;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The one writer of a recorder: callers enqueue records, a single thread drains the queue and
 * commits everything waiting in one transaction (group commit), so a burst of N callers costs a
 * handful of commits instead of N. A record's future completes only after its transaction's COMMIT
 * returned. The writer owns the store and the callback executor, and closes both when it stops.
 * Internal: not part of the API.
 *
 * <p>Nothing a batch meets stops the writer: a store failure fails the batch with its outcome, and a
 * defect anywhere (a {@link RuntimeException} or an {@link Error} such as running out of memory)
 * fails the batch as unknown and the writer goes on. Should the thread die all the same, every
 * record it held or that is queued is failed, and later calls are told why, never "closed".
 */
public final class GroupCommitWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    /** A batch that needed this many attempts is worth a warning: something holds the lock long. */
    private static final int WARN_ATTEMPTS = 10;
    /** Longest wait for the callers of the last batch to come back; well under one fsync. */
    private static final long STRAGGLER_WAIT_NANOS = 100_000;
    /** Wakes a writer waiting on an empty queue when the recorder closes; carries no record. */
    private static final PendingRecord STOP = new PendingRecord(new UUID(0, 0), 0, "", null, null, null, null,
            PendingRecord.THIS_PROCESS, new CompletableFuture<>(), false);

    private final BatchStore store;
    private final BlockingQueue<PendingRecord> queue;
    private final int maxBatchSize;
    private final Retry retry;
    private final BusyRetry busyRetry;
    private final RecorderListener listener;
    private final FailureTranslator translator;
    private final Callers callers;
    private final ExecutorService callbacks;
    private final Supplier<RuntimeException> closedFailure;
    private final Thread thread;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final WriterCounters counters = new WriterCounters();
    private volatile boolean closing;
    private volatile boolean stopped;
    /** Why the writer thread died, if a defect escaped every guard; null otherwise. */
    private volatile Throwable death;
    /** Records of the current batch that another process's transaction committed. Writer thread only. */
    private int acknowledgedEarly;
    /** Set after a failure that forbids further writes (a corrupt file). Writer thread only. */
    private StoreFailure fatal;

    /**
     * @param store         where batches are committed; closed by the writer when it stops
     * @param queueCapacity records that may wait before {@link #submit} blocks
     * @param maxBatchSize  most records in one transaction
     * @param retry         busy retry settings
     * @param listener      observer of the write path; shielded here, whatever it throws
     * @param translator    turns store failures into public exceptions
     * @param closedFailure the exception for records offered after close
     * @param threadName    the writer thread's name
     * @param callbacks     completes the futures of async callers; shut down by the writer when it stops
     */
    public GroupCommitWriter(BatchStore store, int queueCapacity, int maxBatchSize, Retry retry,
                             RecorderListener listener, FailureTranslator translator,
                             Supplier<RuntimeException> closedFailure, String threadName, ExecutorService callbacks) {
        this.store = store;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.maxBatchSize = maxBatchSize;
        this.retry = retry;
        this.listener = GuardedListener.guard(listener);
        this.translator = translator;
        this.callbacks = callbacks;
        this.callers = new Callers(translator, this.listener, callbacks, counters);
        this.closedFailure = closedFailure;
        this.busyRetry = new BusyRetry(retry, (failure, attempt) -> {
            counters.retries.increment();
            this.listener.onRetry(attempt, failure.resultCode());
        });
        this.thread = new Thread(this::drainUntilStopped, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Hands a record to the writer, waiting for queue space if a burst filled it.
     *
     * @throws InterruptedException  if interrupted while waiting for space; the record is then not taken
     * @throws IllegalStateException if called from the writer thread (a listener) in a way that would
     *                               wait for the writer itself
     */
    public void submit(PendingRecord record) throws InterruptedException {
        if (Thread.currentThread() == thread) {
            submitFromWriterThread(record);
            return;
        }
        if (closing) {
            throw closedFailure.get();
        }
        if (stopped) {
            throw diedFailure(record);
        }
        queue.put(record);
        // The writer sets 'stopped' before its final sweep of the queue: if we see it unset, the
        // sweep will see our record; if we see it set and can still remove the record, nobody took it.
        if (stopped && queue.remove(record)) {
            throw closing ? closedFailure.get() : diedFailure(record);
        }
    }

    /**
     * A listener runs on the writer thread: a blocking record there would wait for the writer, that
     * is for itself. Async records are taken while the queue has room, since the writer drains them
     * after the listener returns.
     */
    private void submitFromWriterThread(PendingRecord record) {
        if (!record.async()) {
            throw new IllegalStateException("record() was called on the recorder's own writer thread (from a"
                    + " RecorderListener method) and would wait for itself; use recordAsync() there");
        }
        if (closing) {
            throw closedFailure.get();
        }
        if (!queue.offer(record)) {
            throw new IllegalStateException("recordAsync() was called on the recorder's own writer thread (from a"
                    + " RecorderListener method) while its queue is full; waiting for room would wait for the"
                    + " writer itself");
        }
    }

    /** Takes a record back if the writer has not picked it up yet. */
    public boolean withdraw(PendingRecord record) {
        return queue.remove(record);
    }

    /** What the write path did since the writer started. */
    public RecorderStats stats() {
        // Only a closing writer's queue may hold the STOP marker; counting around it costs a walk of the queue.
        long queued = closing ? queue.stream().filter(record -> record != STOP).count() : queue.size();
        return new RecorderStats(queued, counters.inFlight,
                counters.committed.sum(), counters.failedNotWritten.sum(), counters.failedUnknown.sum(),
                counters.retries.sum(), counters.batches.sum(), Duration.ofNanos(counters.lastCommitNanos));
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosing() {
        return closing;
    }

    /**
     * Stops taking records, commits everything already taken, and waits for the writer to finish.
     * Idempotent. Called on the writer thread itself (from a listener), it only asks the writer to
     * stop after the current batch, and returns at once: waiting there would wait for itself.
     */
    @Override
    public void close() {
        requestClose();
        if (Thread.currentThread() != thread) {
            terminated.join();
        }
    }

    /**
     * As {@link #close()}, but once {@code timeout} has passed, the records still queued are taken
     * back and failed as closed (not written); then waits for the batch in flight, which its retry
     * deadline bounds. Returns false if any record was taken back. On the writer thread, as close().
     */
    public boolean close(Duration timeout) {
        requestClose();
        if (Thread.currentThread() == thread) {
            return true;
        }
        try {
            terminated.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            List<PendingRecord> left = new ArrayList<>();
            queue.drainTo(left);
            left.removeIf(record -> record == STOP);
            reportOrAbandon(left, () -> left.forEach(record -> callers.fail(record, closedFailure.get())));
            terminated.join();
            return left.isEmpty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    private synchronized void requestClose() {
        if (!closing) {
            closing = true;
            // Only to wake a writer waiting on an empty queue: when the queue is full the writer is
            // not waiting, and it checks 'closing' before it waits again.
            queue.offer(STOP);
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
        while (batch.size() < Math.min(expected, maxBatchSize) && System.nanoTime() < deadline && !closing) {
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
            if (next != STOP) {
                records.add(next);
            }
        }
    }

    private void drainUntilStopped() {
        List<PendingRecord> batch = new ArrayList<>(maxBatchSize);
        Batch growing = new Batch(batch, this::admitLateJoiners, this::acknowledgeEarly);
        int lastBatchSize = 1;
        try {
            while (true) {
                batch.clear();
                // Once closing, drain what is left without waiting: the queue may be too full for STOP.
                PendingRecord first = closing ? queue.poll() : takeUninterruptibly();
                if (first == null) {
                    break;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatchSize - batch.size());
                gatherStragglers(batch, lastBatchSize);
                batch.removeIf(record -> record == STOP);
                if (!batch.isEmpty()) {
                    // Nothing interrupts the writer on purpose; a stray interrupt must not abort a backoff.
                    Thread.interrupted();
                    counters.inFlight = batch.size();
                    commitGuarded(growing);
                    counters.inFlight = 0;
                    lastBatchSize = batch.size();
                }
            }
        } catch (Throwable defect) {
            death = defect;
            logQuietly("sqlite-metrics writer thread failed; failing every record it holds", defect);
        } finally {
            stopped = true;
            finish(batch);
        }
    }

    /**
     * The writer's last act: fails what it still holds (a batch in flight when it died has an unknown
     * outcome; queued records were never taken), then releases the store and the callback threads.
     */
    private void finish(List<PendingRecord> inFlight) {
        try {
            if (death != null) {
                List<PendingRecord> held = inFlight.stream().filter(record -> record != STOP).toList();
                reportOrAbandon(held, () -> callers.fail(held, defectFailure(death), 0, Duration.ZERO));
            }
            List<PendingRecord> queued = new ArrayList<>();
            queue.drainTo(queued);
            queued.removeIf(record -> record == STOP);
            reportOrAbandon(queued, () -> queued.forEach(record -> callers.fail(record,
                    death == null ? closedFailure.get() : diedFailure(record))));
        } finally {
            try {
                store.close();
            } catch (Throwable e) {
                logQuietly("sqlite-metrics closing the store failed", e);
            } finally {
                callbacks.shutdown();
                listener.onClosed();
                terminated.complete(null);
            }
        }
    }

    /** Runs {@code report}; if reporting itself fails, completes the records with the failure made up front. */
    private void reportOrAbandon(List<PendingRecord> records, Runnable report) {
        if (records.isEmpty()) {
            return;
        }
        try {
            report.run();
        } catch (Throwable e) {
            callers.abandon(records);
        }
    }

    /** Tells the callers of records that another process's leader committed from the shared spool. */
    private void acknowledgeEarly(List<PendingRecord> committed) {
        acknowledgedEarly += committed.size();
        callers.acknowledge(committed);
    }

    /** Commits a batch; a defect anywhere in the path fails the batch as unknown instead of killing the writer. */
    private void commitGuarded(Batch batch) {
        long start = System.nanoTime();
        acknowledgedEarly = 0;
        try {
            commit(batch, Deadline.after(retry.deadline()));
        } catch (Throwable defect) {
            logQuietly("sqlite-metrics writer failed unexpectedly; the batch's outcome is unknown", defect);
            reportOrAbandon(batch.records(), () -> callers.fail(batch.records(), defectFailure(defect), 0,
                    Duration.ofNanos(System.nanoTime() - start)));
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

    private void commit(Batch batch, Deadline deadline) {
        long start = System.nanoTime();
        int[] attempts = {0};
        boolean[] uncertain = {false};
        try {
            if (fatal != null) {
                throw fatal;
            }
            busyRetry.run(deadline, () -> {
                attempts[0]++;
                try {
                    store.commit(batch, deadline, uncertain[0]);
                } catch (StoreFailure failure) {
                    uncertain[0] |= failure.outcome() == WriteOutcome.UNKNOWN;
                    throw failure;
                }
            });
            callers.acknowledge(batch.records());
            int committed = batch.records().size() + acknowledgedEarly;
            acknowledgedEarly = 0;
            notifyCommitted(committed, attempts[0], Duration.ofNanos(System.nanoTime() - start));
        } catch (StoreFailure failure) {
            if (failure.kind() == StoreFailure.Kind.INVALID && batch.records().size() > 1 && !uncertain[0]) {
                // One record's content sank the batch: commit them one by one so only it fails, all
                // within the batch's one deadline.
                for (PendingRecord record : List.copyOf(batch.records())) {
                    commit(Batch.of(List.of(record)), deadline);
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

    private StoreFailure defectFailure(Throwable defect) {
        return new StoreFailure("unexpected failure in the writer: " + defect, defect, StoreFailure.Kind.OTHER, -1,
                WriteOutcome.UNKNOWN, false);
    }

    /** The failure for a record offered after the writer thread died (not closed: nobody closed it). */
    private RuntimeException diedFailure(PendingRecord record) {
        Throwable cause = death;
        return translator.translate(StoreFailure.notWritten("the recorder's writer thread stopped after an"
                        + " unexpected failure (" + cause + "); close this recorder and open a new one", cause,
                StoreFailure.Kind.OTHER, -1, false), record.id(), 0, Duration.ZERO);
    }

    private void notifyCommitted(int records, int attempts, Duration elapsed) {
        counters.batches.increment();
        counters.lastCommitNanos = elapsed.toNanos();
        if (attempts >= WARN_ATTEMPTS) {
            LOG.warn("sqlite-metrics batch of {} records needed {} attempts over {}ms: another writer holds the lock long",
                    records, attempts, elapsed.toMillis());
        }
        listener.onBatchCommitted(records, attempts, elapsed);
    }

    private static void logQuietly(String message, Throwable error) {
        try {
            LOG.error(message, error);
        } catch (Throwable logging) {
            // Out of memory while logging: failing the callers comes first.
        }
    }
}
