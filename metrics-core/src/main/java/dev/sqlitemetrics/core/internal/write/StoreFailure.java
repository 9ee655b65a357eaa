package dev.sqlitemetrics.core.internal.write;

import dev.sqlitemetrics.core.WriteOutcome;

/**
 * A store's classified failure, before it is turned into the public exception of its kind.
 * Internal: not part of the API.
 */
public final class StoreFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The families of the error table (docs/errors.md). */
    public enum Kind {
        /** Locked by another writer: retry. */
        BUSY,
        /** Disk or size limit full. */
        FULL,
        /** I/O error or out of memory. */
        IO,
        /** Read-only file or folder, cannot open, or the file moved since open. */
        READ_ONLY,
        /** Damaged file or not a database. */
        CORRUPT,
        /** The record's content was refused. */
        INVALID,
        /** The table has another shape, or a setting did not take. */
        SCHEMA,
        /** Anything else: outcome unknown. */
        OTHER
    }

    private final Kind kind;
    private final int resultCode;
    private final String sqlState;
    private final WriteOutcome outcome;
    private final boolean retryable;
    private final int attempts;

    /**
     * @param detail     what happened, with the settings that matter
     * @param cause      the driver's exception, or {@code null}
     * @param kind       the family
     * @param resultCode the extended SQLite result code, or -1
     * @param outcome    what is known of the records
     * @param retryable  whether trying the batch again can succeed
     */
    public StoreFailure(String detail, Throwable cause, Kind kind, int resultCode, WriteOutcome outcome,
                        boolean retryable) {
        this(detail, cause, kind, resultCode, null, outcome, retryable, 1);
    }

    /**
     * A failure of a server that reports SQLSTATEs instead of result codes.
     *
     * @param sqlState the SQLSTATE of the server's error, or {@code null}
     */
    public StoreFailure(String detail, Throwable cause, Kind kind, String sqlState, WriteOutcome outcome,
                        boolean retryable) {
        this(detail, cause, kind, -1, sqlState, outcome, retryable, 1);
    }

    private StoreFailure(String detail, Throwable cause, Kind kind, int resultCode, String sqlState,
                         WriteOutcome outcome, boolean retryable, int attempts) {
        super(detail, cause);
        this.kind = kind;
        this.resultCode = resultCode;
        this.sqlState = sqlState;
        this.outcome = outcome;
        this.retryable = retryable;
        this.attempts = attempts;
    }

    /** A failure that certainly wrote nothing. */
    public static StoreFailure notWritten(String detail, Throwable cause, Kind kind, int resultCode, boolean retryable) {
        return new StoreFailure(detail, cause, kind, resultCode, WriteOutcome.NOT_WRITTEN, retryable);
    }

    public Kind kind() {
        return kind;
    }

    public int resultCode() {
        return resultCode;
    }

    /** The SQLSTATE of a server's error, or {@code null}. */
    public String sqlState() {
        return sqlState;
    }

    public WriteOutcome outcome() {
        return outcome;
    }

    public boolean retryable() {
        return retryable;
    }

    /** Attempts made before this failure, where the store retried by itself (at open); otherwise 1. */
    public int attempts() {
        return attempts;
    }

    /** A copy that says {@code count} attempts were made. */
    public StoreFailure withAttempts(int count) {
        return copy(getMessage(), outcome, count);
    }

    /**
     * The same failure with an unknown outcome: for a batch an earlier attempt of which ended in a
     * COMMIT of unknown outcome, whatever its last attempt says.
     */
    public StoreFailure asUnknown() {
        return asUnknown("an earlier attempt's COMMIT had an unknown outcome");
    }

    /** The same failure with an unknown outcome, for the reason given (appended to the message). */
    public StoreFailure asUnknown(String why) {
        if (outcome == WriteOutcome.UNKNOWN) {
            return this;
        }
        // "Content refused" means "not written"; after an unknown COMMIT the rows may be there all the
        // same, so the failure is no longer about the content.
        Kind unknownKind = kind == Kind.INVALID ? Kind.OTHER : kind;
        return copy(getMessage() + "; " + why, unknownKind, WriteOutcome.UNKNOWN, attempts);
    }

    private StoreFailure copy(String detail, WriteOutcome newOutcome, int count) {
        return copy(detail, kind, newOutcome, count);
    }

    private StoreFailure copy(String detail, Kind newKind, WriteOutcome newOutcome, int count) {
        StoreFailure copy = new StoreFailure(detail, getCause(), newKind, resultCode, sqlState, newOutcome, retryable,
                count);
        copy.setStackTrace(getStackTrace());
        return copy;
    }
}
