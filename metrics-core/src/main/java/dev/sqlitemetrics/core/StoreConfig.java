package dev.sqlitemetrics.core;

/**
 * What the configuration of every store has in common: how batches are retried and bounded, and
 * where records go. {@link SqliteConfig} configures a recorder on a SQLite file (one host);
 * {@link PostgresConfig} one on a PostgreSQL server (many hosts). Each offers only the settings that
 * mean something for its store; these mean the same in both, with the same defaults and limits.
 */
public sealed interface StoreConfig permits SqliteConfig, PostgresConfig {

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
}
