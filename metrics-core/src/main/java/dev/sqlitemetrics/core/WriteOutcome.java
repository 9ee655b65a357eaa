package dev.sqlitemetrics.core;

/** What a failed call knows about its record. */
public enum WriteOutcome {
    /** The record is definitely not in the database: calling again cannot make a duplicate. */
    NOT_WRITTEN,
    /**
     * The record may or may not be in the database, or may be there without being durable (for
     * example an I/O error at COMMIT whose retries ran out of time). Record it again with the same id: the id is the
     * idempotency key, so it is stored at most once.
     */
    UNKNOWN
}
