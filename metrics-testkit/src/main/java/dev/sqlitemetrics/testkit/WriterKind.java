package dev.sqlitemetrics.testkit;

/** What writes the records of a scenario. */
public enum WriterKind {
    /** A {@code MetricsRecorder} under the scenario's configuration, one per JVM, shared by its writer threads. */
    RECORDER,
    /**
     * The classic experiment's {@code insert_row}: a fresh connection per record, one INSERT in autocommit, no retry,
     * the driver's busy timeout. The "before" of every comparison.
     */
    NAIVE,
    /**
     * What users write once they meet "database is locked" (SQLite only): one connection per JVM shared by
     * its threads behind a lock, each record its own {@code BEGIN IMMEDIATE} ... {@code COMMIT}, retried
     * on SQLITE_BUSY after a sleep of a few milliseconds for up to a minute.
     */
    LOCKED_CONNECTION
}
