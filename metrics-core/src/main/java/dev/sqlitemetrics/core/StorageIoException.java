package dev.sqlitemetrics.core;

/**
 * An I/O error (SQLITE_IOERR family, SQLITE_NOMEM) hit the write.
 *
 * <p>When the error came at commit the recorder read the id back: {@link #outcome()} is then NOT_WRITTEN if it was absent, UNKNOWN if even the read-back failed.
 */
public final class StorageIoException extends MetricsException {
    private static final long serialVersionUID = 1L;

    StorageIoException(String message, Throwable cause, Failure failure) {
        super(message, cause, failure);
    }
}
