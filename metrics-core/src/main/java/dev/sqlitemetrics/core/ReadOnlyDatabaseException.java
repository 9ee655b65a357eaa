package dev.sqlitemetrics.core;

/**
 * The database cannot be written or opened: a read-only file or folder, a missing folder, a folder
 * where the file should be (SQLITE_READONLY, SQLITE_CANTOPEN); on a server, no permission, no such
 * database, or a refused login; or a file deleted or replaced since the recorder opened it (reported
 * as SQLITE_READONLY_DBMOVED, 1032).
 *
 * <p>The record is not written to the file at the configured path. Only the last case can succeed
 * when tried again, with a new recorder ({@link #isRetryable()}).
 */
public final class ReadOnlyDatabaseException extends MetricsException {
    private static final long serialVersionUID = 1L;
    /** SQLITE_READONLY_DBMOVED. */
    private static final int DATABASE_MOVED = 1032;

    /** A failure of this family; see {@link MetricsException#MetricsException(String, Throwable, Failure)}. */
    public ReadOnlyDatabaseException(String message, Throwable cause, Failure failure) {
        super(message, cause, failure);
    }

    /** Only for a file replaced since open, which a new recorder opens afresh: {@link MetricsException#isRetryable()}. */
    @Override
    public boolean isRetryable() {
        return resultCode() == DATABASE_MOVED;
    }
}
