package dev.sqlitemetrics.core.internal.sqlite;

import java.sql.SQLException;

/** A pragma read back from a new connection differs from the configuration. */
final class SettingMismatchException extends SQLException {
    private static final long serialVersionUID = 1L;

    SettingMismatchException(String message) {
        super(message);
    }
}
