package dev.sqlitemetrics.core;

import java.nio.file.Path;

/** A record was offered to a recorder that is closed, or closed before the record was taken; it is not written. */
public final class RecorderClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final transient Path path;

    RecorderClosedException(Path path) {
        super("recorder for " + path + " is closed; the record is not written");
        this.path = path;
    }

    /** The database file of the closed recorder. */
    public Path path() {
        return path;
    }
}
