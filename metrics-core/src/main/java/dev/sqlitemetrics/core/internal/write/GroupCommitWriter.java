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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
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
 *
 * <p>No caller waits past its deadline, even when a statement never returns (a server that stopped
 * answering, a file system whose {@code fsync} hangs): a watchdog answers the callers of a batch still
 * running {@link #ANSWER_MARGIN} past its retry deadline (not written if it never reached its COMMIT,
 * which it then never will; unknown otherwise) and of records queued longer than the deadline and the
 * margin (not written: taken back from the queue). The writer goes on once the statement returns.
 *
 * <p>A blocking caller that finds the writer idle and nothing queued commits its record itself
 * ({@link #commitDirectly}): the same batch path, on its own thread, holding the role the writer
 * thread holds around each batch. A lone caller then pays no hand-off to the writer thread and back,
 * which is most of its cost beside the database's round trip; under load the role is taken and
 * callers queue as before. Only where the store can answer within the deadline (a server's open
 * connection, bounded by its socket timeout): a caller stuck in a statement that never returns could
 * not be answered at its deadline.
 */
public final class GroupCommitWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    /** A batch that needed this many attempts is worth a warning: something holds the lock long. */
    private static final int WARN_ATTEMPTS = 10;
    /** Longest wait for the callers of the last batch to come back; well under one fsync. */
    private static final long STRAGGLER_WAIT_NANOS = 100_000;
    /** Wakes a writer waiting on an empty queue when the recorder closes; carries no record. */
    private static final PendingRecord STOP = new PendingRecord(new UUID(0, 0), 0, "", null, null, null, null,
            PendingRecord.THIS_PROCESS, new CompletableFuture<>(), false, 0);
    /**
     * How long past its retry deadline a caller may still wait for its answer: the writer itself
     * sends nothing new after the deadline, so this covers one statement (a COMMIT's sync) and a
     * loaded machine; only a statement that never returns makes the watchdog answer instead.
     */
    public static final Duration ANSWER_MARGIN = Duration.ofSeconds(1);
    /** How often the watchdog looks at the batch in flight and the queue's oldest record. */
    private static final long WATCH_EVERY_MILLIS = 50;
    /** One thread for the watchdogs of every recorder of the JVM: each look costs microseconds. */
    private static final ScheduledExecutorService WATCHDOGS = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sqlite-metrics-deadlines");
        thread.setDaemon(true);
        return thread;
    });

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
    /** Records of the current batch that another process's transaction committed. Role holder only. */
    private int acknowledgedEarly;
    /** Set after a failure that forbids further writes (a corrupt file). Role holder only. */
    private StoreFailure fatal;
    /**
     * Held by whoever commits a batch: the writer thread, or a caller committing its own record. The
     * store, {@link #fatal} and {@link #acknowledgedEarly} belong to the holder.
     */
    private final ReentrantLock role = new ReentrantLock();
    /** Whether the last batch held one record: callers come one at a time, and may commit directly. */
    private volatile boolean alone = true;
    /** The batch being committed, for the watchdog; {@code null} between batches. */
    private volatile Batch current;
    private final ScheduledFuture<?> watchdog;

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
        this.watchdog = WATCHDOGS.scheduleWithFixedDelay(this::enforceDeadlines, WATCH_EVERY_MILLIS, WATCH_EVERY_MILLIS,
                TimeUnit.MILLISECONDS);
        this.thread = new Thread(this::drainUntilStopped, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * The watchdog's look: answers the callers of a batch still running {@link #ANSWER_MARGIN} past its
     * deadline, and of records that waited in the queue longer than the deadline and the margin.
     */
    private void enforceDeadlines() {
        try {
            long now = System.nanoTime();
            long margin = ANSWER_MARGIN.toNanos();
            Batch batch = current;
            if (batch != null && batch.overdue(now, 0) && batch.firstOverdueLook()) {
                store.deadlinePassed();
            }
            if (batch != null && batch.overdue(now, margin)) {
                Batch.Expired expired = batch.expire();
                if (expired != null) {
                    answerOverdue(expired.records(), expired.outcome());
                }
            }
            long patience = retry.deadline().toNanos() + margin;
            for (PendingRecord head = queue.peek(); head != null && head != STOP
                    && now - head.submittedNanos() > patience; head = queue.peek()) {
                if (queue.remove(head)) {
                    answerOverdue(List.of(head), WriteOutcome.NOT_WRITTEN);
                }
            }
        } catch (Throwable e) {
            // The watchdog must keep looking; a failure to answer one caller is logged, not fatal.
            logQuietly("sqlite-metrics deadline watchdog failed", e);
        }
    }

    /** Answers records whose deadline passed while the writer was stuck in a statement or behind one. */
    private void answerOverdue(List<PendingRecord> records, WriteOutcome outcome) {
        String state = outcome == WriteOutcome.NOT_WRITTEN ? "; it never reached its COMMIT and never will"
                : "; its COMMIT was sent and may yet complete";
        StoreFailure failure = new StoreFailure("the database did not answer within the retry deadline of "
                + retry.deadline().toMillis() + "ms and " + ANSWER_MARGIN.toMillis() + "ms more" + state,
                null, StoreFailure.Kind.IO, -1, outcome, true);
        for (PendingRecord record : records) {
            if (!record.future().isDone()) {
                callers.fail(record, translator.translate(failure, record.id(), 1, retry.deadline().plus(ANSWER_MARGIN)));
            }
        }
    }

    /**
     * Hands a record to the writer, waiting for queue space if a burst filled it.
     *
     * @throws InterruptedException  if interrupted while waiting for space; the record is then not taken
     * @throws IllegalStateException if called from the writer thread (a listener) in a way that would
     *                               wait for the writer itself
     */
    public void submit(PendingRecord record) throws InterruptedException {
        if (onWriterSide()) {
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

    /**
     * Commits a blocking caller's record on the caller's own thread when nobody is committing and
     * nothing is queued; records queued meanwhile join it. Returns false, touching nothing, when the
     * record must go through the queue instead; true once the record's future is completed.
     */
    public boolean commitDirectly(PendingRecord record) {
        // Only while callers come one at a time: when the last batch held several, callers are many,
        // and each committing its own would cost a commit each instead of one for all. An interrupted
        // caller goes through the queue, where waiting answers interrupts.
        if (!alone || closing || stopped || Thread.currentThread().isInterrupted() || !queue.isEmpty()
                || onWriterSide() || !role.tryLock()) {
            return false;
        }
        try {
            if (closing || stopped || fatal != null || !store.answersWithinDeadline()) {
                return false;
            }
            List<PendingRecord> records = new ArrayList<>(1);
            records.add(record);
            // Its own record alone, and no lock waited for: a caller that met another writer hands its
            // record to the writer thread (certainly not written yet), and waits where interrupts reach it.
            Batch batch = Batch.direct(records, this::acknowledgeEarly, Deadline.after(retry.deadline()));
            counters.inFlight = 1;
            current = batch;
            acknowledgedEarly = 0;
            Attempts attempts = new Attempts();
            try {
                attempts.make(store, batch, batch.deadline());
                acknowledge(batch, attempts);
            } catch (StoreFailure failure) {
                if (failure.outcome() == WriteOutcome.NOT_WRITTEN && failure.retryable()) {
                    return false;
                }
                if (failure.retryable()) {
                    // An unknown outcome is tried again the usual way, on this thread, its uncertainty kept.
                    commit(batch.waitingForLocks(), batch.deadline(), attempts);
                } else {
                    fail(batch, failure, attempts);
                }
            } catch (Throwable defect) {
                logQuietly("sqlite-metrics writer failed unexpectedly; the batch's outcome is unknown", defect);
                reportOrAbandon(batch.records(), () -> callers.fail(batch.records(), defectFailure(defect), 1,
                        attempts.elapsed()));
            } finally {
                current = null;
                counters.inFlight = 0;
                alone = true;
            }
            return true;
        } finally {
            role.unlock();
        }
    }

    /** Whether this thread is the one committing: the writer thread, or a caller committing directly (a listener). */
    private boolean onWriterSide() {
        return Thread.currentThread() == thread || role.isHeldByCurrentThread();
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
        if (!onWriterSide()) {
            awaitTerminationOrStuck();
        }
    }

    /**
     * Waits for the writer to finish, unless it is stuck in a statement past its batch's deadline (the
     * watchdog answered that batch): then the records still queued are failed as closed and the wait
     * ends; the writer releases the store once the statement returns.
     */
    private void awaitTerminationOrStuck() {
        boolean interrupted = false;
        while (!terminated.isDone()) {
            try {
                terminated.get(WATCH_EVERY_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                Batch batch = current;
                if (batch != null && batch.expired()) {
                    List<PendingRecord> left = new ArrayList<>();
                    queue.drainTo(left);
                    left.removeIf(record -> record == STOP);
                    reportOrAbandon(left, () -> left.forEach(record -> callers.fail(record, closedFailure.get())));
                    LOG.warn("sqlite-metrics closed a recorder whose writer is still waiting for a statement past its"
                            + " deadline; it releases the database once the statement returns");
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * As {@link #close()}, but once {@code timeout} has passed, the records still queued are taken
     * back and failed as closed (not written); then waits for the batch in flight, which its retry
     * deadline bounds. Returns false if any record was taken back. On the writer thread, as close().
     */
    public boolean close(Duration timeout) {
        requestClose();
        if (onWriterSide()) {
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
            awaitTerminationOrStuck();
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
        int lastBatchSize = 1;
        try {
            while (true) {
                // A list of its own per batch: the watchdog may still look at the last one.
                batch = new ArrayList<>(Math.min(maxBatchSize, Math.max(16, 2 * lastBatchSize)));
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
                    role.lock();
                    try {
                        commitBatch(batch);
                    } finally {
                        role.unlock();
                    }
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
            watchdog.cancel(false);
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

    /** Commits one batch; the caller holds the role. */
    private void commitBatch(List<PendingRecord> records) {
        counters.inFlight = records.size();
        alone = records.size() == 1;
        Batch batch = new Batch(records, this::admitLateJoiners, this::acknowledgeEarly, Deadline.after(retry.deadline()));
        current = batch;
        try {
            commitGuarded(batch);
        } finally {
            current = null;
            counters.inFlight = 0;
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
            commit(batch, batch.deadline(), new Attempts());
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

    /**
     * Commits {@code batch} within {@code deadline}, retrying what may succeed, and answers its callers.
     * When one record's content sank a batch of several (and no attempt may have committed), the
     * records are committed one by one, within the same deadline, so that only that one fails.
     *
     * @param attempts what was tried already (a caller's direct attempt), or a fresh count
     */
    private void commit(Batch batch, Deadline deadline, Attempts attempts) {
        StoreFailure failure = attempt(batch, deadline, attempts);
        if (failure == null) {
            return;
        }
        if (failure.kind() != StoreFailure.Kind.INVALID || batch.records().size() == 1 || attempts.uncertain) {
            fail(batch, failure, attempts);
            return;
        }
        for (PendingRecord record : List.copyOf(batch.records())) {
            Batch part = batch.part(new ArrayList<>(List.of(record)));
            Attempts alone = new Attempts();
            StoreFailure refused = attempt(part, deadline, alone);
            if (refused != null) {
                fail(part, refused, alone);
            }
        }
    }

    /** Attempts {@code batch} until it commits (its callers acknowledged: null) or fails for good (the failure). */
    private StoreFailure attempt(Batch batch, Deadline deadline, Attempts attempts) {
        try {
            if (fatal != null) {
                throw fatal;
            }
            busyRetry.run(deadline, () -> attempts.make(store, batch, deadline));
        } catch (StoreFailure failure) {
            return failure;
        }
        acknowledge(batch, attempts);
        return null;
    }

    private void acknowledge(Batch batch, Attempts attempts) {
        callers.acknowledge(batch.records());
        int committed = batch.records().size() + acknowledgedEarly;
        acknowledgedEarly = 0;
        notifyCommitted(committed, attempts.count, attempts.elapsed());
    }

    /** The batch's attempts ended in {@code failure}: its callers are told, unknown if any attempt may have committed. */
    private void fail(Batch batch, StoreFailure failure, Attempts attempts) {
        if (failure.kind() == StoreFailure.Kind.CORRUPT) {
            fatal = failure;
        }
        callers.fail(batch.records(), attempts.uncertain ? failure.asUnknown() : failure, attempts.count, attempts.elapsed());
    }

    /** One batch's attempts: how many, since when, and whether one of them may have committed. */
    private static final class Attempts {
        private final long start = System.nanoTime();
        private int count;
        /** An attempt's outcome was unknown: a later failure cannot say "not written". */
        private boolean uncertain;

        void make(BatchStore store, Batch batch, Deadline deadline) {
            count++;
            try {
                store.commit(batch, deadline, uncertain);
            } catch (StoreFailure failure) {
                uncertain |= failure.outcome() == WriteOutcome.UNKNOWN;
                throw failure;
            }
        }

        Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - start);
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
