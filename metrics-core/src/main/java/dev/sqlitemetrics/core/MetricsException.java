package dev.sqlitemetrics.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * Base of every failure the library reports: a record not written or of unknown outcome, a recorder
 * that cannot open or is closed, a read, a prune or a forwarding that failed. One
 * {@code catch (MetricsException e)} takes them all; the subclasses name the families
 * ({@link DatabaseBusyException}, {@link StorageFullException}, {@link StorageIoException},
 * {@link ReadOnlyDatabaseException}, {@link CorruptDatabaseException}, {@link SchemaMismatchException},
 * {@link InvalidRecordException}, {@link RecorderClosedException}). Arguments the caller got wrong (a
 * null, a lone surrogate, a payload over the size limit) are programming errors and throw
 * {@link NullPointerException} or {@link IllegalArgumentException} before anything is written.
 *
 * <p>The cause, where there is one, is the driver's own exception ({@link java.sql.SQLException}). A
 * blocking call's exception carries the caller's stack; where the writer thread failed is attached
 * as a suppressed exception.
 *
 * <p>Every constructor is public, so that a fake recorder in a test can throw what the real one
 * throws: {@code new DatabaseBusyException("busy", null, MetricsException.Failure.of("test.db",
 * WriteOutcome.NOT_WRITTEN))}.
 *
 * <p>The message names the database path, the SQLite result code (extended), the attempts, the
 * elapsed time and the relevant settings, so one log line is enough to diagnose. {@link #outcome()}
 * tells whether the record is definitely not written or its outcome is unknown. Thrown as is for
 * failures outside the known families (SQLITE_MISUSE, SQLITE_INTERNAL, ...), whose outcome is unknown.
 */
public class MetricsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Result code reported when no SQLite result code applies. */
    public static final int NO_RESULT_CODE = -1;

    private final transient Path path;
    private final String database;
    private final int resultCode;
    private final String sqlState;
    private final WriteOutcome outcome;
    private final int attempts;
    private final transient Duration elapsed;
    private final UUID recordId;

    /**
     * @param message what failed, in words
     * @param cause   the driver's exception, or {@code null}
     * @param failure the context: database, result code or SQLSTATE, outcome, attempts, record
     */
    public MetricsException(String message, Throwable cause, Failure failure) {
        super(message, cause);
        this.path = failure.path();
        this.database = failure.database();
        this.resultCode = failure.resultCode();
        this.sqlState = failure.sqlState();
        this.outcome = failure.outcome();
        this.attempts = failure.attempts();
        this.elapsed = failure.elapsed();
        this.recordId = failure.recordId();
    }

    /** The database file, or {@code null} for a recorder on a server. */
    public Path path() {
        return path;
    }

    /** The database in words: the file's path, or the server's JDBC URL without any password. */
    public String database() {
        return database;
    }

    /** The SQLSTATE of a server's error (e.g. {@code 57P01}), or {@code null} (always on SQLite). */
    public String sqlState() {
        return sqlState;
    }

    /** The extended SQLite result code (e.g. 517 for SQLITE_BUSY_SNAPSHOT), or {@link #NO_RESULT_CODE}. */
    public int resultCode() {
        return resultCode;
    }

    /** The primary SQLite result code ({@code resultCode & 0xFF}), or {@link #NO_RESULT_CODE}. */
    public int primaryResultCode() {
        return resultCode == NO_RESULT_CODE ? NO_RESULT_CODE : resultCode & 0xFF;
    }

    /** Whether the record is definitely not written, or its outcome is unknown. */
    public WriteOutcome outcome() {
        return outcome;
    }

    /** Shorthand for {@code outcome() == WriteOutcome.NOT_WRITTEN}. */
    public boolean isDefinitelyNotWritten() {
        return outcome == WriteOutcome.NOT_WRITTEN;
    }

    /**
     * Whether trying again unchanged (the same record with the same id, or the same command) may
     * succeed: true for a busy database, an I/O error, a full disk or a server that is down or
     * restarting, false where only a change can help (a read-only file or folder, a missing folder
     * or database, a refused login, a table of another shape, a damaged file, refused content, a
     * closed recorder). A retry loop around {@code record()} should give up at once on false.
     */
    public boolean isRetryable() {
        return true;
    }

    /** How many attempts were made (0 when the failure came before any). */
    public int attempts() {
        return attempts;
    }

    /** Time from the first attempt to the failure. */
    public Duration elapsed() {
        return elapsed;
    }

    /** The id of the record this failure is about, or {@code null} for failures at open. */
    public UUID recordId() {
        return recordId;
    }

    /**
     * The context every failure carries.
     *
     * @param path       the database file, or {@code null} for a server
     * @param database   the database in words (a path, or a JDBC URL without its password)
     * @param resultCode the extended SQLite result code, or {@link #NO_RESULT_CODE}
     * @param sqlState   a server's SQLSTATE, or {@code null}
     * @param outcome    whether the record is definitely not written, or its outcome unknown
     * @param attempts   attempts made, 0 when none was
     * @param elapsed    time from the first attempt to the failure
     * @param recordId   the record the failure is about, or {@code null}
     */
    public record Failure(Path path, String database, int resultCode, String sqlState, WriteOutcome outcome, int attempts,
                          Duration elapsed, UUID recordId) {

        /** Checks that {@code database}, {@code outcome} and {@code elapsed} are there. */
        public Failure {
            java.util.Objects.requireNonNull(database, "database");
            java.util.Objects.requireNonNull(outcome, "outcome");
            java.util.Objects.requireNonNull(elapsed, "elapsed");
        }

        /** A context with only the database and the outcome: no result code, no attempt, no record. */
        public static Failure of(String database, WriteOutcome outcome) {
            return new Failure(null, database, NO_RESULT_CODE, null, outcome, 0, Duration.ZERO, null);
        }
    }
}
