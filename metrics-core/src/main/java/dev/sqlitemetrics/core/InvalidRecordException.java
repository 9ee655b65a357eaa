package dev.sqlitemetrics.core;

/**
 * The database refused a record's content (on SQLite a constraint of the table other than the id,
 * SQLITE_TOOBIG, SQLITE_MISMATCH; on PostgreSQL a data exception such as a NUL character in text);
 * the record is not written and the recorder stays usable. Recording it again fails the same way.
 *
 * <p>Input the recorder can check itself (null, lone surrogates, oversize payload) is rejected
 * earlier, before anything is written, with a plain {@link IllegalArgumentException} or
 * {@link NullPointerException}.
 */
public final class InvalidRecordException extends MetricsException {
    private static final long serialVersionUID = 1L;

    /** A refused record; see {@link MetricsException#MetricsException(String, Throwable, Failure)}. */
    public InvalidRecordException(String message, Throwable cause, Failure failure) {
        super(message, cause, failure);
    }

    /** False: {@link MetricsException#isRetryable()}. */
    @Override
    public boolean isRetryable() {
        return false;
    }
}
