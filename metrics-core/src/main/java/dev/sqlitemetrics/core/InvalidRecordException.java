package dev.sqlitemetrics.core;

import java.nio.file.Path;

/**
 * SQLite refused a record's content (a constraint of the table other than the id, SQLITE_TOOBIG,
 * SQLITE_MISMATCH); the record is not written and the recorder stays usable.
 *
 * <p>Input the recorder can check itself (null, lone surrogates, oversize payload) is rejected
 * earlier with a plain {@link IllegalArgumentException} or {@link NullPointerException}.
 */
public final class InvalidRecordException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient Path path;
    private final int resultCode;

    InvalidRecordException(String message, Throwable cause, Path path, int resultCode) {
        super(message, cause);
        this.path = path;
        this.resultCode = resultCode;
    }

    /** The database file. */
    public Path path() {
        return path;
    }

    /** The extended SQLite result code. */
    public int resultCode() {
        return resultCode;
    }
}
