package dev.sqlitemetrics.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * Base of every failure the recorder reports for a record or at open.
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

    MetricsException(String message, Throwable cause, Failure failure) {
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

    /** The context every subclass is built from; kept package-private with the constructors. */
    record Failure(Path path, String database, int resultCode, String sqlState, WriteOutcome outcome, int attempts,
                   Duration elapsed, UUID recordId) {
    }
}
