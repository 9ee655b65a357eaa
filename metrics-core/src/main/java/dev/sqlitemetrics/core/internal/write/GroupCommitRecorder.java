package dev.sqlitemetrics.core.internal.write;

import dev.sqlitemetrics.core.Completion;
import dev.sqlitemetrics.core.MetricsException;
import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.RecordIds;
import dev.sqlitemetrics.core.RecorderClosedException;
import dev.sqlitemetrics.core.internal.Stores;
import dev.sqlitemetrics.core.RecorderListener;
import dev.sqlitemetrics.core.RecorderStats;
import dev.sqlitemetrics.core.StoreConfig;
import dev.sqlitemetrics.core.WriteOutcome;

import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/**
 * The recorder on any store: checks input, hands records to the group-commit writer and waits for
 * their COMMIT. What differs between SQLite and PostgreSQL lives behind the {@link BatchStore} the
 * writer commits to; everything a caller meets (input checks, the queue, the exceptions, the
 * callback threads, closing) is this one class.
 */
public final class GroupCommitRecorder implements MetricsRecorder {
    private final StoreConfig config;
    private final RecordText text;
    private final Failures failures;
    /** Owned by the writer, which closes it when it stops; used here for reads only. */
    private final BatchStore store;
    private final GroupCommitWriter writer;

    /**
     * @param openStore opens the store with the (shielded) listener; throws a {@link StoreFailure}
     *                  when the database cannot be used
     * @param callbacks completes async callers' futures; the writer shuts it down when it stops
     * @param name      what names the recorder's threads: the file's or the database's name
     */
    public GroupCommitRecorder(StoreConfig config, RecorderListener listener, Function<RecorderListener, BatchStore> openStore,
                               ExecutorService callbacks, String name) {
        this.config = config;
        this.text = new RecordText(config.maxMessageBytes());
        this.failures = new Failures(config);
        RecorderListener guarded = GuardedListener.guard(listener);
        long start = System.nanoTime();
        try {
            this.store = openStore.apply(guarded);
        } catch (StoreFailure failure) {
            callbacks.shutdown();
            throw failures.translate(failure, null, failure.attempts(), Duration.ofNanos(System.nanoTime() - start));
        } catch (RuntimeException | Error e) {
            callbacks.shutdown();
            throw e;
        }
        try {
            this.writer = new GroupCommitWriter(store, config.queueCapacity(), config.maxBatchSize(), config.retry(),
                    guarded, failures, () -> closed(config),
                    "sqlite-metrics-writer-" + name, callbacks);
        } catch (RuntimeException | Error e) {
            // A failed open leaves nothing behind: no pool, no thread, no hold on the lock file.
            store.close();
            callbacks.shutdown();
            throw e;
        }
        guarded.onOpened(this);
    }

    /** The refusal of a closed recorder: not written. */
    private static RecorderClosedException closed(StoreConfig config) {
        return new RecorderClosedException("recorder for " + config.database() + " is closed; the record is not written",
                new MetricsException.Failure(Stores.file(config), config.database(), MetricsException.NO_RESULT_CODE, null,
                        WriteOutcome.NOT_WRITTEN, 0, Duration.ZERO, null));
    }

    @Override
    public UUID record(String msg) {
        return await(commitOrSubmit(plain(msg, false)));
    }

    @Override
    public UUID recordCompletion(Completion completion) {
        return await(commitOrSubmit(structured(completion, false)));
    }

    /** Commits on this thread when the writer is idle and nothing waits; otherwise hands the record to the writer. */
    private PendingRecord commitOrSubmit(PendingRecord record) {
        return writer.commitDirectly(record) ? record : submit(record);
    }

    @Override
    public CompletableFuture<UUID> recordAsync(String msg) {
        return callersCopy(submit(plain(msg, true)));
    }

    @Override
    public CompletableFuture<UUID> recordCompletionAsync(Completion completion) {
        return callersCopy(submit(structured(completion, true)));
    }

    /**
     * A dependent copy of the record's future: a caller's {@code cancel()}, {@code complete()} or
     * {@code orTimeout()} then settles only the copy, and can neither hide nor fake what the writer
     * reports, while the record itself is still committed or failed as usual.
     */
    private static CompletableFuture<UUID> callersCopy(PendingRecord record) {
        return record.future().copy();
    }

    @Override
    public long count() {
        if (writer.isClosing()) {
            throw closed(config);
        }
        try {
            return store.count();
        } catch (StoreFailure failure) {
            throw failures.translate(failure, null, 1, Duration.ZERO);
        }
    }

    @Override
    public StoreConfig config() {
        return config;
    }

    /**
     * Waits until the writer has committed or failed every record accepted before, and released the
     * file. Called from a listener (on the writer thread), it asks the writer to stop after its current
     * batch and returns at once.
     */
    @Override
    public void close() {
        writer.close();
    }

    @Override
    public RecorderStats stats() {
        return writer.stats();
    }

    @Override
    public boolean close(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return writer.close(timeout);
    }

    private PendingRecord plain(String msg, boolean async) {
        text.check(msg, "msg", 0);
        return new PendingRecord(RecordIds.next(), System.currentTimeMillis(), msg, null, null, null, null,
                PendingRecord.THIS_PROCESS, new CompletableFuture<>(), async, System.nanoTime());
    }

    private PendingRecord structured(Completion completion, boolean async) {
        Objects.requireNonNull(completion, "completion");
        text.check(completion);
        Double millis = completion.duration() == null ? null : completion.duration().toNanos() / 1_000_000.0;
        long at = completion.endedAt() != null ? completion.endedAt().toEpochMilli() : System.currentTimeMillis();
        return new PendingRecord(completion.id(), at, completion.message(), completion.task(),
                completion.outcome().name(), millis, RecordText.json(completion.attributes()),
                PendingRecord.THIS_PROCESS, new CompletableFuture<>(), async, System.nanoTime());
    }

    private PendingRecord submit(PendingRecord record) {
        try {
            writer.submit(record);
            return record;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failures.interrupted(record.id(), WriteOutcome.NOT_WRITTEN, e);
        }
    }

    /**
     * The writer thread made {@code failure} for this record's caller alone: its stack becomes the
     * caller's, which is where a reader of the log looks, and the writer thread's is kept as a
     * suppressed exception.
     */
    private static MetricsException onCallersStack(MetricsException failure) {
        Throwable writer = new Throwable("where the recorder's writer thread met the failure");
        writer.setStackTrace(failure.getStackTrace());
        failure.fillInStackTrace();
        failure.addSuppressed(writer);
        return failure;
    }

    private UUID await(PendingRecord record) {
        try {
            return record.future().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            WriteOutcome outcome = writer.withdraw(record) ? WriteOutcome.NOT_WRITTEN : WriteOutcome.UNKNOWN;
            throw failures.interrupted(record.id(), outcome, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof MetricsException failure && record.id().equals(failure.recordId())) {
                throw onCallersStack(failure);
            }
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException("sqlite-metrics writer failed", e.getCause());
        }
    }
}
