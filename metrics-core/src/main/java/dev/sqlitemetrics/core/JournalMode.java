package dev.sqlitemetrics.core;

/**
 * SQLite journal mode of the database file, set once when the recorder opens the file.
 *
 * <p>The mode is persistent in the file (for WAL) and decides how writers and readers share it.
 * See <a href="https://www.sqlite.org/pragma.html#pragma_journal_mode">PRAGMA journal_mode</a>.
 */
public enum JournalMode {
    /** Write-ahead log: readers never block the writer. The default, and the only mode in which
     *  {@link Synchronous#FULL} survives power loss with one fsync per commit. */
    WAL,
    /** Rollback journal, deleted after each transaction (SQLite's own default). */
    DELETE,
    /** Rollback journal, truncated to zero length after each transaction. */
    TRUNCATE,
    /** Rollback journal whose header is zeroed after each transaction. */
    PERSIST
}
