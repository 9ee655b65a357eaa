package dev.sqlitemetrics.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a {@link MetricsRecorder} on a SQLite file needs to know, as plain data. (A recorder on
 * a PostgreSQL server takes a {@link PostgresConfig}; the settings both share mean the same.)
 *
 * <p>A config holds no listeners, lambdas or third-party objects, so it can be printed in reports,
 * compared with {@code equals}, and handed to another process as command-line flags. Every
 * invariant is checked here, in the compact constructor; a bad value is rejected with a message of
 * the form {@code <setting> must be <constraint>, was <value>}, never replaced by a default.
 *
 * <pre>{@code
 * SqliteConfig config = SqliteConfig.builder(Path.of("metrics.db"))
 *         .busyTimeout(Duration.ofSeconds(5))
 *         .synchronous(Synchronous.NORMAL)
 *         .build();
 * }</pre>
 *
 * @param path            the database file; created with its folder's permissions if missing. Stored absolute.
 * @param busyTimeout     how long one attempt waits inside SQLite for the write lock, default {@value #DEFAULT_BUSY_TIMEOUT_MS}ms
 * @param journalMode     journal mode set on the file at open, default {@link JournalMode#WAL}
 * @param synchronous     fsync level of every connection, default {@link Synchronous#FULL}
 * @param retry           how busy batches are retried, default {@link Retry#defaults()}
 * @param poolSize        pooled connections: one kept by the writer, the rest for reads; default {@value StoreConfig#DEFAULT_POOL_SIZE}
 * @param tableName       table that receives records, default {@value StoreConfig#DEFAULT_TABLE_NAME}
 * @param maxMessageBytes largest UTF-8 payload of one record, default {@value StoreConfig#DEFAULT_MAX_MESSAGE_BYTES}
 * @param maxBatchSize    most records committed in one transaction, default {@value StoreConfig#DEFAULT_MAX_BATCH_SIZE}
 * @param queueCapacity   records accepted but not yet committed before callers wait, default {@value StoreConfig#DEFAULT_QUEUE_CAPACITY}
 * @param sharedCommits   whether recorders in different processes of one host share transactions, default
 *                        {@code false}: their writers put small batches in a memory-mapped spool beside the
 *                        file ({@code <file>.spool}), and whichever holds the lock commits everyone's records in
 *                        one transaction. A record is still acknowledged only after the COMMIT that holds it; a
 *                        process that dies at any point leaves the others to carry on. Worth it where a sync is
 *                        slow (a 5 ms fsync: about twice the throughput of 16 processes); where the CPU is the
 *                        limit it gains little, and many processes that each record once wait longer. Never
 *                        used on network file systems, nor between processes whose table, journal mode or
 *                        synchronous level differ
 */
public record SqliteConfig(
        Path path,
        Duration busyTimeout,
        JournalMode journalMode,
        Synchronous synchronous,
        Retry retry,
        int poolSize,
        String tableName,
        int maxMessageBytes,
        int maxBatchSize,
        int queueCapacity,
        boolean sharedCommits) implements StoreConfig {

    /**
     * Default busy timeout in milliseconds. Long enough that a writer rarely leaves SQLite's busy
     * handler under a burst; the {@link Retry} deadline bounds the total wait.
     */
    public static final long DEFAULT_BUSY_TIMEOUT_MS = 5_000;
    /** Default pool size: the writer's connection plus one for {@code count()} and read-backs. */
    public static final int DEFAULT_POOL_SIZE = 2;
    /** Default table: {@code messages}, the name the classic one-row-per-process experiment uses, so existing queries keep working. */
    public static final String DEFAULT_TABLE_NAME = "messages";
    /** Default payload limit: 64 KiB, ample for a completion record, small enough to bound memory. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;
    /** Default batch limit: large enough to amortise one fsync, small enough to keep a transaction short. */
    public static final int DEFAULT_MAX_BATCH_SIZE = 1_000;
    /** Default queue capacity: absorbs large bursts; beyond it callers wait rather than records being dropped. */
    public static final int DEFAULT_QUEUE_CAPACITY = 100_000;

    /** Largest accepted {@code maxMessageBytes}: 100 MiB, well under SQLite's 1 GB string limit. */
    public static final int MAX_MESSAGE_BYTES_LIMIT = 100 * 1024 * 1024;
    /** Largest accepted {@code maxBatchSize}. */
    public static final int MAX_BATCH_SIZE_LIMIT = 100_000;
    /**
     * Largest accepted {@code queueCapacity}. The queue's slots are allocated when the recorder opens
     * (4 to 8 MiB at this size), and a million records waiting is far past any burst a single writer
     * can absorb: beyond it, callers waiting is the right answer.
     */
    public static final int MAX_QUEUE_CAPACITY = 1_000_000;
    /** Smallest accepted {@code poolSize}: the writer keeps one connection, reads need another. */
    public static final int MIN_POOL_SIZE = 2;
    /** Largest accepted {@code poolSize}. */
    public static final int MAX_POOL_SIZE = 64;

    /** Checks every invariant; see the class comment for the message format. */
    public SqliteConfig {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(busyTimeout, "busyTimeout");
        Objects.requireNonNull(journalMode, "journalMode");
        Objects.requireNonNull(synchronous, "synchronous");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(tableName, "tableName");
        path = path.toAbsolutePath().normalize();
        if (path.getFileName() == null) {
            throw new IllegalArgumentException("path must name a file, was " + path);
        }
        if (busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "busyTimeout must be between 0ms and " + Integer.MAX_VALUE + "ms, was " + busyTimeout.toMillis() + "ms");
        }
        Builder.checkShared(poolSize, tableName, "sqlite_", maxMessageBytes, maxBatchSize, queueCapacity);
    }

    /** The database file's path. */
    @Override
    public String database() {
        return path.toString();
    }

    /** A config with every default for the given database file. */
    public static SqliteConfig defaults(Path path) {
        return builder(path).build();
    }

    /** A builder that starts from every default. */
    public static Builder builder(Path path) {
        return new Builder(path);
    }

    /** A builder that starts from this config's values. */
    public Builder toBuilder() {
        return new Builder(path)
                .busyTimeout(busyTimeout)
                .journalMode(journalMode)
                .synchronous(synchronous)
                .retry(retry)
                .poolSize(poolSize)
                .tableName(tableName)
                .maxMessageBytes(maxMessageBytes)
                .maxBatchSize(maxBatchSize)
                .queueCapacity(queueCapacity)
                .sharedCommits(sharedCommits);
    }

    @Override
    public String toString() {
        return "SqliteConfig[path=" + path + ", busyTimeout=" + busyTimeout.toMillis() + "ms, journalMode="
                + journalMode + ", synchronous=" + synchronous + ", retry=" + retry + ", poolSize=" + poolSize
                + ", tableName=" + tableName + ", maxMessageBytes=" + maxMessageBytes + ", maxBatchSize="
                + maxBatchSize + ", queueCapacity=" + queueCapacity + ", sharedCommits=" + sharedCommits + "]";
    }

    /** Collects settings; {@link #build()} checks them all at once. Not thread-safe. */
    public static final class Builder extends StoreConfig.Builder<Builder> {
        private Path path;
        private Duration busyTimeout = Duration.ofMillis(DEFAULT_BUSY_TIMEOUT_MS);
        private JournalMode journalMode = JournalMode.WAL;
        private Synchronous synchronous = Synchronous.FULL;
        private boolean sharedCommits = false;

        private Builder(Path path) {
            this.path = path;
        }

        /** The database file. */
        public Builder path(Path value) {
            this.path = value;
            return this;
        }

        /** How long one attempt waits inside SQLite for the write lock ({@code PRAGMA busy_timeout}). */
        public Builder busyTimeout(Duration value) {
            this.busyTimeout = value;
            return this;
        }

        /** The journal mode set on the file at open. */
        public Builder journalMode(JournalMode value) {
            this.journalMode = value;
            return this;
        }

        /** The fsync level of every connection. */
        public Builder synchronous(Synchronous value) {
            this.synchronous = value;
            return this;
        }

        /**
         * Whether this process's recorder shares transactions with the recorders of other processes
         * on the same file (default false: every batch in a transaction of its own).
         */
        public Builder sharedCommits(boolean value) {
            this.sharedCommits = value;
            return this;
        }

        /** A checked, immutable config. */
        public SqliteConfig build() {
            return new SqliteConfig(path, busyTimeout, journalMode, synchronous, retry, poolSize, tableName,
                    maxMessageBytes, maxBatchSize, queueCapacity, sharedCommits);
        }
    }
}
