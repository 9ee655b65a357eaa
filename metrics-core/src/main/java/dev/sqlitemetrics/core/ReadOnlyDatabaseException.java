package dev.sqlitemetrics.core;

/**
 * The database cannot be written: a read-only file or folder (SQLITE_READONLY, SQLITE_CANTOPEN), or a file deleted or replaced since the recorder opened it (reported as SQLITE_READONLY_DBMOVED, 1032).
 *
 * <p>The record is not written to the file at the configured path.
 */
public final class ReadOnlyDatabaseException extends MetricsException {
    private static final long serialVersionUID = 1L;

    /** A failure of this family; see {@link MetricsException#MetricsException(String, Throwable, Failure)}. */
    public ReadOnlyDatabaseException(String message, Throwable cause, Failure failure) {
        super(message, cause, failure);
    }
}
