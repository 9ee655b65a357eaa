package dev.sqlitemetrics.core.internal.write;

import dev.sqlitemetrics.core.WriteOutcome;

import java.util.Set;
import java.util.UUID;

/**
 * A store's classified failure, before it is turned into the public exception of its kind.
 * Internal: not part of the API.
 */
public final class StoreFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The families of the error table in RELIABILITY.md. */
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
    private final WriteOutcome outcome;
    private final boolean retryable;
    private final transient Set<UUID> presentIds;
    private final int attempts;

    /**
     * @param detail     what happened, with the settings that matter
     * @param cause      the driver's exception, or {@code null}
     * @param kind       the family
     * @param resultCode the extended SQLite result code, or -1
     * @param outcome    what is known of the records
     * @param retryable  whether trying the batch again can succeed
     * @param presentIds ids found in the table while resolving a failed COMMIT: in the file, but not
     *                   known to be durable, so their outcome is unknown
     */
    public StoreFailure(String detail, Throwable cause, Kind kind, int resultCode, WriteOutcome outcome,
                        boolean retryable, Set<UUID> presentIds) {
        this(detail, cause, kind, resultCode, outcome, retryable, presentIds, 1);
    }

    private StoreFailure(String detail, Throwable cause, Kind kind, int resultCode, WriteOutcome outcome,
                         boolean retryable, Set<UUID> presentIds, int attempts) {
        super(detail, cause);
        this.attempts = attempts;
        this.kind = kind;
        this.resultCode = resultCode;
        this.outcome = outcome;
        this.retryable = retryable;
        this.presentIds = Set.copyOf(presentIds);
    }

    /** A failure that certainly wrote nothing and found nothing present. */
    public static StoreFailure notWritten(String detail, Throwable cause, Kind kind, int resultCode, boolean retryable) {
        return new StoreFailure(detail, cause, kind, resultCode, WriteOutcome.NOT_WRITTEN, retryable, Set.of());
    }

    public Kind kind() {
        return kind;
    }

    public int resultCode() {
        return resultCode;
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

    /** The same failure for a record whose row was found after it: outcome unknown, not to be retried. */
    public StoreFailure asFoundAfterFailure() {
        StoreFailure copy = new StoreFailure(getMessage() + " (this record's row was found afterwards, but its"
                + " durability is not known)", getCause(), kind, resultCode, dev.sqlitemetrics.core.WriteOutcome.UNKNOWN,
                false, Set.of(), attempts);
        copy.setStackTrace(getStackTrace());
        return copy;
    }

    /** A copy that says {@code count} attempts were made. */
    public StoreFailure withAttempts(int count) {
        StoreFailure copy = new StoreFailure(getMessage(), getCause(), kind, resultCode, outcome, retryable, presentIds, count);
        copy.setStackTrace(getStackTrace());
        return copy;
    }

    /**
     * Ids found in the table after a failed COMMIT. A read-back proves a row is in the file, not that
     * it is durable (an fsync may have failed), so these are reported UNKNOWN, never acknowledged.
     */
    public Set<UUID> presentIds() {
        return presentIds;
    }
}
