package dev.sqlitemetrics.core;

/**
 * An I/O error (SQLITE_IOERR family, SQLITE_NOMEM) hit the write.
 *
 * <p>The batch was retried until the deadline, each retry writing its rows again. {@link #outcome()}
 * is NOT_WRITTEN when every attempt failed before COMMIT, UNKNOWN when a COMMIT failed: then the row
 * may be present, even visible, without being durable; record it again with the same id.
 */
public final class StorageIoException extends MetricsException {
    private static final long serialVersionUID = 1L;

    /** A failure of this family; see {@link MetricsException#MetricsException(String, Throwable, Failure)}. */
    public StorageIoException(String message, Throwable cause, Failure failure) {
        super(message, cause, failure);
    }
}
