package dev.sqlitemetrics.core;

/**
 * A record was offered to a recorder that is closed, or closed before the record was taken; it is
 * not written ({@link #outcome()} is {@link WriteOutcome#NOT_WRITTEN}).
 */
public final class RecorderClosedException extends MetricsException {
    private static final long serialVersionUID = 1L;

    /** A closed recorder's refusal; see {@link MetricsException#MetricsException(String, Throwable, Failure)}. */
    public RecorderClosedException(String message, Failure failure) {
        super(message, null, failure);
    }

    /** False: {@link MetricsException#isRetryable()}. */
    @Override
    public boolean isRetryable() {
        return false;
    }
}
