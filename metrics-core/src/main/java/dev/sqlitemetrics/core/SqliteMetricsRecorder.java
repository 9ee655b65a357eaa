package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.internal.sqlite.SqliteStore;
import dev.sqlitemetrics.core.internal.write.GroupCommitWriter;
import dev.sqlitemetrics.core.internal.write.PendingRecord;
import dev.sqlitemetrics.core.internal.write.StoreFailure;

import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The recorder on a SQLite file: checks input, hands records to the group-commit writer and waits
 * for their COMMIT.
 */
final class SqliteMetricsRecorder implements MetricsRecorder {
    private final RecorderConfig config;
    private final RecordText text;
    private final Failures failures;
    private final SqliteStore store;
    private final GroupCommitWriter writer;
    private boolean closed;

    private SqliteMetricsRecorder(RecorderConfig config, RecorderListener listener) {
        this.config = config;
        this.text = new RecordText(config.maxMessageBytes());
        this.failures = new Failures(config);
        long start = System.nanoTime();
        try {
            this.store = SqliteStore.open(config, listener);
        } catch (StoreFailure failure) {
            throw failures.translate(failure, null, failure.attempts(), Duration.ofNanos(System.nanoTime() - start));
        }
        this.writer = new GroupCommitWriter(store, config.queueCapacity(), config.maxBatchSize(), config.retry(),
                listener, failures, () -> new RecorderClosedException(config.path()),
                "sqlite-metrics-writer-" + config.path().getFileName());
    }

    static MetricsRecorder open(RecorderConfig config, RecorderListener listener) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(listener, "listener");
        return new SqliteMetricsRecorder(config, listener);
    }

    @Override
    public UUID record(String msg) {
        return await(submit(plain(msg, false)));
    }

    @Override
    public UUID record(Completion completion) {
        return await(submit(structured(completion, false)));
    }

    @Override
    public CompletableFuture<UUID> recordAsync(String msg) {
        return submit(plain(msg, true)).future();
    }

    @Override
    public CompletableFuture<UUID> recordAsync(Completion completion) {
        return submit(structured(completion, true)).future();
    }

    @Override
    public long count() {
        try {
            return store.count();
        } catch (StoreFailure failure) {
            throw failures.translate(failure, null, 1, Duration.ZERO);
        }
    }

    @Override
    public RecorderConfig config() {
        return config;
    }

    /** Synchronized: a second caller waits until the first has drained and released everything. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        writer.close();
        store.close();
        closed = true;
    }

    private PendingRecord plain(String msg, boolean async) {
        text.check(msg, "msg", 0);
        return new PendingRecord(RecordIds.next(), System.currentTimeMillis(), msg, null, null, null, null,
                new CompletableFuture<>(), async);
    }

    private PendingRecord structured(Completion completion, boolean async) {
        Objects.requireNonNull(completion, "completion");
        text.check(completion);
        Double millis = completion.duration() == null ? null : completion.duration().toNanos() / 1_000_000.0;
        return new PendingRecord(completion.id(), System.currentTimeMillis(), completion.message(), completion.task(),
                completion.outcome().name(), millis, RecordText.json(completion.attributes()),
                new CompletableFuture<>(), async);
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

    private UUID await(PendingRecord record) {
        try {
            return record.future().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            WriteOutcome outcome = writer.withdraw(record) ? WriteOutcome.NOT_WRITTEN : WriteOutcome.UNKNOWN;
            throw failures.interrupted(record.id(), outcome, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException("sqlite-metrics writer failed", e.getCause());
        }
    }
}
