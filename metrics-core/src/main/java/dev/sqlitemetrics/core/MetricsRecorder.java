package dev.sqlitemetrics.core;

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
        return open(RecorderConfig.defaults(path));
    }

    /** Opens a recorder with {@code config}; creates the file and table if missing. */
    static MetricsRecorder open(RecorderConfig config) {
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
    static MetricsRecorder open(RecorderConfig config, RecorderListener listener) {
        return GroupCommitRecorder.sqlite(config, listener);
    }

    /** Opens a recorder on the store {@code config} describes: a SQLite file or a PostgreSQL server. */
    static MetricsRecorder open(StoreConfig config) {
        return config instanceof RecorderConfig sqlite ? open(sqlite) : open((PostgresConfig) config);
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
        return GroupCommitRecorder.postgres(config, null, listener);
    }

    /**
     * Opens a recorder on the PostgreSQL server behind {@code dataSource}, a pool or data source the
     * application already has; the config's URL and credentials are not used. The recorder opens its
     * writer's connection and up to {@code poolSize - 1} more from it, and closes them on close.
     */
    static MetricsRecorder open(PostgresConfig config, javax.sql.DataSource dataSource) {
        return GroupCommitRecorder.postgres(config, java.util.Objects.requireNonNull(dataSource, "dataSource"),
                RecorderListener.NONE);
    }

    /**
     * Records {@code msg} and returns once it is durably committed.
     *
     * @param msg the text stored verbatim in the {@code msg} column
     * @return the record's id
     * @throws NullPointerException     if {@code msg} is null
     * @throws IllegalArgumentException if {@code msg} has a lone surrogate or exceeds {@link RecorderConfig#maxMessageBytes()}
     * @throws MetricsException         if it could not be committed; see {@link MetricsException#outcome()}
     */
    UUID record(String msg);

    /**
     * Records a structured completion and returns once it is durably committed. Recording the
     * same {@link Completion#id()} again stores it once.
     *
     * @return the record's id
     * @throws MetricsException if it could not be committed
     */
    UUID record(Completion completion);

    /**
     * Hands {@code msg} to the writer and returns a future completed with the record's id once it
     * is durably committed, or exceptionally with the exception {@link #record(String)} would
     * throw. Input is checked before this returns. Waits only if {@link RecorderConfig#queueCapacity()}
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

    /** The asynchronous form of {@link #record(Completion)}. */
    CompletableFuture<UUID> recordAsync(Completion completion);

    /**
     * Rows in the table, including rows other clients inserted.
     *
     * @throws ReadOnlyDatabaseException if the file was deleted or replaced since the recorder opened it
     * @throws RecorderClosedException   after {@link #close()}
     */
    long count();

    /**
     * The configuration this recorder was opened with: a {@link RecorderConfig} for a SQLite file, a
     * {@link PostgresConfig} for a PostgreSQL server.
     */
    StoreConfig config();

    /**
     * Stops accepting records, commits every record accepted before, and releases the writer
     * thread and connections. Idempotent and safe from several threads; every caller returns once
     * all of that is done. Called from a {@link RecorderListener} method (on the writer thread), it
     * only asks the writer to stop after its current batch and returns at once.
     */
    @Override
    void close();
}
