package dev.sqlitemetrics.core;

/**
 * The file is damaged or not a database (SQLITE_CORRUPT, SQLITE_NOTADB).
 *
 * <p>The recorder stops writing to it: every later record fails the same way; the file is never repaired or deleted.
 */
public final class CorruptDatabaseException extends MetricsException {
    private static final long serialVersionUID = 1L;

    /** A failure of this family; see {@link MetricsException#MetricsException(String, Throwable, Failure)}. */
    public CorruptDatabaseException(String message, Throwable cause, Failure failure) {
        super(message, cause, failure);
    }

    /** False: {@link MetricsException#isRetryable()}. */
    @Override
    public boolean isRetryable() {
        return false;
    }
}
