package dev.sqlitemetrics.core;

/**
 * The table exists with another shape than the recorder needs; thrown at open.
 *
 * <p>The message lists every difference; nothing was altered.
 */
public final class SchemaMismatchException extends MetricsException {
    private static final long serialVersionUID = 1L;

    /** A failure of this family; see {@link MetricsException#MetricsException(String, Throwable, Failure)}. */
    public SchemaMismatchException(String message, Throwable cause, Failure failure) {
        super(message, cause, failure);
    }

    /** False: {@link MetricsException#isRetryable()}. */
    @Override
    public boolean isRetryable() {
        return false;
    }
}
