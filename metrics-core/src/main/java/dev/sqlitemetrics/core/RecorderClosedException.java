package dev.sqlitemetrics.core;

import java.nio.file.Path;

/** A record was offered to a recorder that is closed, or closed before the record was taken; it is not written. */
public final class RecorderClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final transient Path path;
    private final String database;

    RecorderClosedException(StoreConfig config) {
        super("recorder for " + config.database() + " is closed; the record is not written");
        this.path = config instanceof RecorderConfig sqlite ? sqlite.path() : null;
        this.database = config.database();
    }

    /** The database file of the closed recorder, or {@code null} for a recorder on a server. */
    public Path path() {
        return path;
    }

    /** The database in words: the file's path, or the server's JDBC URL without any password. */
    public String database() {
        return database;
    }
}
