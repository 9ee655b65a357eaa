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

    /** The refusal of the recorder of {@code config}. */
    static RecorderClosedException of(StoreConfig config) {
        return new RecorderClosedException("recorder for " + config.database() + " is closed; the record is not written",
                new Failure(config instanceof SqliteConfig sqlite ? sqlite.path() : null, config.database(),
                        NO_RESULT_CODE, null, WriteOutcome.NOT_WRITTEN, 0, java.time.Duration.ZERO, null));
    }

    /** False: {@link MetricsException#isRetryable()}. */
    @Override
    public boolean isRetryable() {
        return false;
    }
}
