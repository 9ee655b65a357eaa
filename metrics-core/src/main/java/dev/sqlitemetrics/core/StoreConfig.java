package dev.sqlitemetrics.core;

import java.util.Locale;

/**
 * What the configuration of every store has in common: how batches are retried and bounded, and
 * where records go. {@link SqliteConfig} configures a recorder on a SQLite file (one host);
 * {@link PostgresConfig} one on a PostgreSQL server (many hosts). Each offers only the settings that
 * mean something for its store; these mean the same in both, with the same defaults and limits.
 */
public sealed interface StoreConfig permits SqliteConfig, PostgresConfig {
    /** Default pool size: the writer's connection plus one for {@code count()} and read-backs. */
    int DEFAULT_POOL_SIZE = 2;
    /** Default table: {@code messages}, the name the classic one-row-per-process experiment uses, so existing queries keep working. */
    String DEFAULT_TABLE_NAME = "messages";
    /** Default payload limit: 64 KiB, ample for a completion record, small enough to bound memory. */
    int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;
    /** Default batch limit: large enough to amortise one fsync, small enough to keep a transaction short. */
    int DEFAULT_MAX_BATCH_SIZE = 1_000;
    /** Default queue capacity: absorbs large bursts; beyond it callers wait rather than records being dropped. */
    int DEFAULT_QUEUE_CAPACITY = 100_000;

    /** Largest accepted {@code maxMessageBytes}: 100 MiB, well under SQLite's 1 GB string limit. */
    int MAX_MESSAGE_BYTES_LIMIT = 100 * 1024 * 1024;
    /** Largest accepted {@code maxBatchSize}. */
    int MAX_BATCH_SIZE_LIMIT = 100_000;
    /**
     * Largest accepted {@code queueCapacity}. The queue's slots are allocated when the recorder opens
     * (4 to 8 MiB at this size), and a million records waiting is far past any burst a single writer
     * can absorb: beyond it, callers waiting is the right answer.
     */
    int MAX_QUEUE_CAPACITY = 1_000_000;
    /** Smallest accepted {@code poolSize}: the writer keeps one connection, reads need another. */
    int MIN_POOL_SIZE = 2;
    /** Largest accepted {@code poolSize}. */
    int MAX_POOL_SIZE = 64;


    /** How failed batches are retried within a deadline. */
    Retry retry();

    /** Connections: one kept by the writer, the rest pooled for reads. */
    int poolSize();

    /** The table that receives records. */
    String tableName();

    /** The largest UTF-8 payload of one record. */
    int maxMessageBytes();

    /** The most records committed in one transaction. */
    int maxBatchSize();

    /** How many records may wait for the writer before callers block. */
    int queueCapacity();

    /**
     * The database in words, for messages and reports: the file's path, or the JDBC URL without any
     * password.
     */
    String database();

    /**
     * What the builders of every store share: the settings above, with the same defaults, setters and
     * checks. {@code B} is the store's own builder, which every setter returns.
     */
    abstract class Builder<B extends Builder<B>> {
        private static final java.util.regex.Pattern TABLE_NAME = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

        Retry retry = Retry.defaults();
        int poolSize = DEFAULT_POOL_SIZE;
        String tableName = DEFAULT_TABLE_NAME;
        int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
        int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
        int queueCapacity = DEFAULT_QUEUE_CAPACITY;

        Builder() {
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /** How failed batches are retried. */
        public B retry(Retry value) {
            this.retry = value;
            return self();
        }

        /** How many connections the recorder keeps: one for the writer, the rest pooled for reads. */
        public B poolSize(int value) {
            this.poolSize = value;
            return self();
        }

        /** The table that receives records. */
        public B tableName(String value) {
            this.tableName = value;
            return self();
        }

        /** The largest UTF-8 payload of one record. */
        public B maxMessageBytes(int value) {
            this.maxMessageBytes = value;
            return self();
        }

        /** The most records committed in one transaction. */
        public B maxBatchSize(int value) {
            this.maxBatchSize = value;
            return self();
        }

        /** How many records may wait for the writer before callers block. */
        public B queueCapacity(int value) {
            this.queueCapacity = value;
            return self();
        }

        /**
         * @param reservedPrefix table names the store keeps for itself ({@code sqlite_}, {@code pg_}), lower case
         */
        static void checkShared(int poolSize, String tableName, String reservedPrefix, int maxMessageBytes, int maxBatchSize,
                          int queueCapacity) {
            if (poolSize < StoreConfig.MIN_POOL_SIZE || poolSize > StoreConfig.MAX_POOL_SIZE) {
                throw new IllegalArgumentException("poolSize must be between " + StoreConfig.MIN_POOL_SIZE + " and "
                        + StoreConfig.MAX_POOL_SIZE + " (the writer keeps one connection), was " + poolSize);
            }
            if (!TABLE_NAME.matcher(tableName).matches() || tableName.toLowerCase(Locale.ROOT).startsWith(reservedPrefix)) {
                throw new IllegalArgumentException("tableName must be a letter or underscore followed by up to 62 letters,"
                        + " digits or underscores, not starting with " + reservedPrefix + ", was '" + tableName + "'");
            }
            if (maxMessageBytes < 1 || maxMessageBytes > StoreConfig.MAX_MESSAGE_BYTES_LIMIT) {
                throw new IllegalArgumentException("maxMessageBytes must be between 1 and "
                        + StoreConfig.MAX_MESSAGE_BYTES_LIMIT + ", was " + maxMessageBytes);
            }
            if (maxBatchSize < 1 || maxBatchSize > StoreConfig.MAX_BATCH_SIZE_LIMIT) {
                throw new IllegalArgumentException("maxBatchSize must be between 1 and " + StoreConfig.MAX_BATCH_SIZE_LIMIT
                        + ", was " + maxBatchSize);
            }
            if (queueCapacity < maxBatchSize) {
                throw new IllegalArgumentException(
                        "queueCapacity must be at least maxBatchSize (" + maxBatchSize + "), was " + queueCapacity);
            }
            if (queueCapacity > StoreConfig.MAX_QUEUE_CAPACITY) {
                throw new IllegalArgumentException(
                        "queueCapacity must be at most " + StoreConfig.MAX_QUEUE_CAPACITY + ", was " + queueCapacity);
            }
        }
    }
}
