package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.internal.postgres.PostgresStore;
import dev.sqlitemetrics.core.internal.sqlite.SqliteStore;
import dev.sqlitemetrics.core.internal.write.BatchStore;
import dev.sqlitemetrics.core.internal.write.CallbackExecutor;
import dev.sqlitemetrics.core.internal.write.GroupCommitWriter;
import dev.sqlitemetrics.core.internal.write.GuardedListener;
import dev.sqlitemetrics.core.internal.write.PendingRecord;
import dev.sqlitemetrics.core.internal.write.StoreFailure;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/**
 * The recorder on any store: checks input, hands records to the group-commit writer and waits for
 * their COMMIT. What differs between SQLite and PostgreSQL lives behind the {@link BatchStore} the
 * writer commits to; everything a caller meets (input checks, the queue, the exceptions, the
 * callback threads, closing) is this one class.
 */
final class GroupCommitRecorder implements MetricsRecorder {
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
     */
    GroupCommitRecorder(StoreConfig config, RecorderListener listener, Function<RecorderListener, BatchStore> openStore,
                        ExecutorService callbacks) {
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
                    guarded, failures, () -> RecorderClosedException.of(config),
                    "sqlite-metrics-writer-" + shortName(config), callbacks);
        } catch (RuntimeException | Error e) {
            // A failed open leaves nothing behind: no pool, no thread, no hold on the lock file.
            store.close();
            callbacks.shutdown();
            throw e;
        }
        guarded.onOpened(this);
    }

    /** A recorder on the SQLite file of {@code config}. */
    static MetricsRecorder sqlite(SqliteConfig config, RecorderListener listener) {
        return sqlite(config, listener, null);
    }

    /** The same, completing async callers on {@code callbackExecutor} (or the recorder's own threads when null). */
    static MetricsRecorder sqlite(SqliteConfig config, RecorderListener listener, Executor callbackExecutor) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(listener, "listener");
        return new GroupCommitRecorder(config, listener, guarded -> SqliteStore.open(config, guarded),
                callbacks(config, callbackExecutor));
    }

    /** A recorder on the PostgreSQL server of {@code config}, or of {@code dataSource} when one is given. */
    static MetricsRecorder postgres(PostgresConfig config, DataSource dataSource, RecorderListener listener) {
        return postgres(config, dataSource, listener, null);
    }

    /** The same, completing async callers on {@code callbackExecutor} (or the recorder's own threads when null). */
    static MetricsRecorder postgres(PostgresConfig config, DataSource dataSource, RecorderListener listener,
                                    Executor callbackExecutor) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(listener, "listener");
        if (dataSource == null && config.jdbcUrl() == null) {
            throw new IllegalArgumentException("jdbcUrl must be set when no DataSource is given, was null");
        }
        return new GroupCommitRecorder(config, listener, guarded -> PostgresStore.open(config, dataSource, guarded),
                callbacks(config, callbackExecutor));
    }

    private static ExecutorService callbacks(StoreConfig config, Executor given) {
        return given == null ? CallbackExecutor.create("sqlite-metrics-callback-" + shortName(config))
                : CallbackExecutor.borrowed(given);
    }

    /** The file's name, or the server's database name: what names the recorder's threads. */
    private static String shortName(StoreConfig config) {
        if (config instanceof SqliteConfig sqlite) {
            return sqlite.path().getFileName().toString();
        }
        String database = config.database();
        int slash = database.lastIndexOf('/');
        int query = database.indexOf('?', Math.max(0, slash));
        return slash < 0 ? "postgres" : database.substring(slash + 1, query < 0 ? database.length() : query);
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
            throw RecorderClosedException.of(config);
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
