package dev.sqlitemetrics.core;

/**
 * The database stayed locked by another writer past the retry deadline; the record is not written.
 *
 * <p>After the lock is released, the next record succeeds; raise {@link Retry#deadline()} or find the writer that holds the lock.
 */
public final class DatabaseBusyException extends MetricsException {
    private static final long serialVersionUID = 1L;

    /** A failure of this family; see {@link MetricsException#MetricsException(String, Throwable, Failure)}. */
    public DatabaseBusyException(String message, Throwable cause, Failure failure) {
        super(message, cause, failure);
    }
}
