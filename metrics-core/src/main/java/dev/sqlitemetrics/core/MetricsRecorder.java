package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.internal.Stores;

import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Records completion metrics durably to a local SQLite file, from any number of threads and
 * processes at once, without losing one.
 *
 * <pre>{@code
 * try (MetricsRecorder recorder = MetricsRecorder.open(Path.of("metrics.db"))) {
 *     recorder.record("job-42 done");   // returns once durably committed, exactly once
 * }
 * }</pre>
 *
 * <p>A call either commits its record exactly once and durably (with the default
 * {@link Synchronous#FULL}: surviving power loss) or throws. Failures are {@link MetricsException}s
 * whose {@link MetricsException#outcome()} says whether the record is definitely not written or its
 * outcome is unknown; bad input is rejected before any SQL with {@link NullPointerException} or
 * {@link IllegalArgumentException}; a call after {@link #close()} throws {@link RecorderClosedException}.
 *
 * <p>Implementations are thread-safe. One recorder per database file and process is enough: it
 * commits the records of all its callers together (group commit), which is what makes it fast.
 * An interface, so that a test can stand a fake in for it.
 */
public interface MetricsRecorder extends AutoCloseable {

    /** Opens a recorder on {@code path} with every default; creates the file and table if missing. */
    static MetricsRecorder open(Path path) {
        return open(SqliteConfig.defaults(path));
    }

    /** Opens a recorder with {@code config}; creates the file and table if missing. */
    static MetricsRecorder open(SqliteConfig config) {
        return open(config, RecorderListener.NONE);
    }

    /**
     * Opens a recorder with {@code config}, reporting write-path events to {@code listener}.
     *
     * @throws CorruptDatabaseException  if the file is not a database or is damaged (it is left untouched)
     * @throws SchemaMismatchException   if the table exists with another shape
     * @throws ReadOnlyDatabaseException if the file or its folder cannot be written
     * @throws DatabaseBusyException     if another connection kept the file locked past the retry deadline
     */
    static MetricsRecorder open(SqliteConfig config, RecorderListener listener) {
        return Stores.recorder(config, null, listener, null);
    }

    /** Opens a recorder on the store {@code config} describes: a SQLite file or a PostgreSQL server. */
    static MetricsRecorder open(StoreConfig config) {
        return Stores.recorder(config, null, RecorderListener.NONE, null);
    }

    /**
     * Opens a recorder on a PostgreSQL server, connecting with the config's URL and credentials;
     * creates the table if missing (serialised across every host opening it at once). Needs the
     * PostgreSQL JDBC driver ({@code org.postgresql:postgresql}) on the classpath.
     *
     * @throws SchemaMismatchException if the table exists with another shape
     * @throws StorageIoException      if the server could not be reached within the retry deadline
     */
    static MetricsRecorder open(PostgresConfig config) {
        return open(config, RecorderListener.NONE);
    }

    /** Opens a recorder on a PostgreSQL server, reporting write-path events to {@code listener}. */
    static MetricsRecorder open(PostgresConfig config, RecorderListener listener) {
        return Stores.recorder(config, null, listener, null);
    }

    /**
     * Opens a recorder on the PostgreSQL server behind {@code dataSource}, a pool or data source the
     * application already has; the config's URL and credentials are not used. The recorder opens its
     * writer's connection and up to {@code poolSize - 1} more from it, and closes them on close.
     */
    static MetricsRecorder open(PostgresConfig config, javax.sql.DataSource dataSource) {
        return Stores.recorder(config, java.util.Objects.requireNonNull(dataSource, "dataSource"),
                RecorderListener.NONE, null);
    }

    /**
     * A recorder on {@code config}'s store with more than a config: a listener, an executor for the
     * async callers' callbacks, a data source of the application's.
     *
     * <pre>{@code
     * MetricsRecorder recorder = MetricsRecorder.builder(config).listener(listener)
     *         .callbackExecutor(executor).open();
     * }</pre>
     */
    static Builder builder(StoreConfig config) {
        return new Builder(java.util.Objects.requireNonNull(config, "config"));
    }

    /** What a recorder is opened with beyond its config. Not thread-safe. */
    final class Builder {
        private final StoreConfig config;
        private RecorderListener listener = RecorderListener.NONE;
        private java.util.concurrent.Executor callbackExecutor;
        private javax.sql.DataSource dataSource;

        private Builder(StoreConfig config) {
            this.config = config;
        }

        /** Told of every retry, committed and failed batch and evicted connection; default none. */
        public Builder listener(RecorderListener value) {
            this.listener = java.util.Objects.requireNonNull(value, "listener");
            return this;
        }

        /**
         * Where the futures of {@code recordAsync} and {@code recordCompletionAsync} are completed,
         * and so where callbacks attached without an executor run. Default: two daemon threads of the
         * recorder's own (never the writer thread, never {@code ForkJoinPool.commonPool()}), ended on
         * close. An executor given here stays the caller's: close does not shut it down. An executor
         * that refuses a task gets the completion run on the writer thread instead, never lost.
         */
        public Builder callbackExecutor(java.util.concurrent.Executor value) {
            this.callbackExecutor = java.util.Objects.requireNonNull(value, "callbackExecutor");
            return this;
        }

        /**
         * For a PostgreSQL config: connect through the application's pool or data source instead of
         * the config's URL and credentials.
         */
        public Builder dataSource(javax.sql.DataSource value) {
            this.dataSource = java.util.Objects.requireNonNull(value, "dataSource");
            return this;
        }

        /**
         * Opens the recorder; creates the file or table if missing.
         *
         * @throws IllegalArgumentException when a data source is given for a SQLite config
         * @throws MetricsException         when the store cannot be used (see {@link #open(SqliteConfig, RecorderListener)})
         */
        public MetricsRecorder open() {
            return Stores.recorder(config, dataSource, listener, callbackExecutor);
        }
    }

    /**
     * Records {@code msg} and returns once it is durably committed.
     *
     * @param msg the text stored verbatim in the {@code msg} column
     * @return the record's id
     * @throws NullPointerException     if {@code msg} is null
     * @throws IllegalArgumentException if {@code msg} has a lone surrogate or exceeds {@link SqliteConfig#maxMessageBytes()}
     * @throws MetricsException         if it could not be committed; see {@link MetricsException#outcome()}
     */
    UUID record(String msg);

    /**
     * Records a structured completion (task, outcome, duration, attributes) and returns once it is
     * durably committed. Recording the same {@link Completion#id()} again stores it once. Named apart
     * from {@link #record(String)} so that {@code record(null)} and a mocking library's
     * {@code record(any())} name one method.
     *
     * @return the record's id
     * @throws NullPointerException     if {@code completion} is null
     * @throws IllegalArgumentException if its text has a lone surrogate or exceeds {@link SqliteConfig#maxMessageBytes()}
     * @throws MetricsException         if it could not be committed; see {@link MetricsException#outcome()}
     */
    UUID recordCompletion(Completion completion);

    /**
     * Hands {@code msg} to the writer and returns a future completed with the record's id once it
     * is durably committed, or exceptionally with the exception {@link #record(String)} would
     * throw. Input is checked before this returns. Waits only if {@link SqliteConfig#queueCapacity()}
     * records are already waiting.
     *
     * <p>The future is completed on the recorder's own callback threads: never on the writer thread,
     * and never on {@code ForkJoinPool.commonPool()}, so user tasks that fill the common pool cannot
     * delay an acknowledgement. Callbacks attached without an executor run on those threads too: keep
     * them short, or attach them with an executor of your own ({@code thenApplyAsync(fn, executor)}).
     * The returned future is the caller's own copy: cancelling it, or completing it by timeout, does
     * not withdraw the record, which is still committed or failed as usual.
     */
    CompletableFuture<UUID> recordAsync(String msg);

    /** The asynchronous form of {@link #recordCompletion(Completion)}. */
    CompletableFuture<UUID> recordCompletionAsync(Completion completion);

    /**
     * Rows in the table, including rows other clients inserted.
     *
     * @throws ReadOnlyDatabaseException if the file was deleted or replaced since the recorder opened it
     * @throws RecorderClosedException   after {@link #close()}
     */
    long count();

    /**
     * What the write path did since the recorder opened (queued, in flight, committed, failed by
     * outcome, retries, batches, the last commit's latency): for health checks and metrics. Cheap; safe
     * from any thread, also after close. A fake recorder answers {@link RecorderStats#EMPTY}.
     */
    default RecorderStats stats() {
        return RecorderStats.EMPTY;
    }

    /**
     * The configuration this recorder was opened with: a {@link SqliteConfig} for a SQLite file, a
     * {@link PostgresConfig} for a PostgreSQL server.
     */
    StoreConfig config();

    /**
     * Stops accepting records, commits every record accepted before, and releases the writer
     * thread and connections. Idempotent and safe from several threads; every caller returns once
     * all of that is done. Called from a {@link RecorderListener} method (on the writer thread), it
     * only asks the writer to stop after its current batch and returns at once.
     *
     * <p>How long it can take: the records still queued are committed in batches of
     * {@link StoreConfig#maxBatchSize()}, each a few milliseconds on a healthy database; on a
     * database that stays locked or a server that stays down, each batch fails only at its
     * {@link Retry#deadline()}, so the worst case is {@code ceil(queued / maxBatchSize) x deadline}
     * (with the defaults and a full queue of 100,000 records, 100 minutes). {@link #close(Duration)}
     * bounds it.
     */
    @Override
    void close();

    /**
     * As {@link #close()}, but gives up waiting after {@code timeout}: records still queued then are
     * failed with {@link RecorderClosedException} (not written, safe to record again elsewhere), and
     * it returns once the batch in flight has ended (its retry deadline bounds that).
     *
     * @return true if every record accepted before was committed or failed on its own; false if some
     *         were failed because the time was up
     */
    default boolean close(java.time.Duration timeout) {
        close();
        return true;
    }
}
