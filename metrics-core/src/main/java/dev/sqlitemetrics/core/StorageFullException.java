package dev.sqlitemetrics.core;

/**
 * The disk or the database's size limit is full (SQLITE_FULL); the record is not written.
 *
 * <p>The same recorder writes again once space is freed.
 */
public final class StorageFullException extends MetricsException {
    private static final long serialVersionUID = 1L;

    /** A failure of this family; see {@link MetricsException#MetricsException(String, Throwable, Failure)}. */
    public StorageFullException(String message, Throwable cause, Failure failure) {
        super(message, cause, failure);
    }
}
