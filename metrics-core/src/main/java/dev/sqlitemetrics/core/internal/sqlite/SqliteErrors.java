package dev.sqlitemetrics.core.internal.sqlite;

import dev.sqlitemetrics.core.internal.write.Causes;
import dev.sqlitemetrics.core.internal.write.StoreFailure.Kind;
import org.sqlite.SQLiteException;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Classifies sqlite-jdbc exceptions into the families of the error table (docs/errors.md) by their
 * primary result code ({@code code & 0xFF}).
 */
final class SqliteErrors {
    static final int BUSY = 5;
    static final int LOCKED = 6;
    static final int NOMEM = 7;
    static final int READONLY = 8;
    static final int IOERR = 10;
    static final int CORRUPT = 11;
    static final int FULL = 13;
    static final int CANTOPEN = 14;
    static final int PROTOCOL = 15;
    static final int TOOBIG = 18;
    static final int CONSTRAINT = 19;
    static final int MISMATCH = 20;
    static final int NOTADB = 26;
    /** SQLITE_READONLY_DBMOVED: what SQLite itself reports when the file was unlinked or renamed. */
    static final int READONLY_DBMOVED = 1032;
    /** No result code: a pool timeout or a setting that did not take. */
    static final int NONE = -1;

    private static final Pattern UNLISTED_CODE = Pattern.compile("^\\[UNKNOWN_ERROR\\][^:(]*:(\\d{1,9})\\b");

    private SqliteErrors() {
    }

    /** The extended result code of the first SQLite exception in the cause chain, or {@link #NONE}. */
    static int resultCode(Throwable error) {
        return Causes.first(error, SQLiteException.class).map(sqlite -> {
            int code = sqlite.getResultCode().code;
            return code >= 0 ? code : unlistedCode(sqlite);
        }).orElse(NONE);
    }

    /**
     * Codes the driver's enum does not list (newer SQLite releases add extended codes, such as
     * SQLITE_IOERR_IN_PAGE, 8714) come back as UNKNOWN_ERROR, whose getErrorCode() is 255, not the
     * primary code; the driver keeps the real code only in the message ("unknown error:8714 (...)").
     */
    private static int unlistedCode(SQLiteException error) {
        Matcher matcher = UNLISTED_CODE.matcher(String.valueOf(error.getMessage()));
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : NONE;
    }

    /** The family of {@code error}. A pool that timed out waiting for a connection counts as busy. */
    static Kind kind(SQLException error) {
        int code = resultCode(error);
        if (code == NONE) {
            if (Causes.first(error, SettingMismatchException.class).isPresent()) {
                return Kind.SCHEMA;
            }
            return error instanceof SQLTransientConnectionException ? Kind.BUSY : Kind.OTHER;
        }
        return switch (code & 0xFF) {
            case BUSY, LOCKED, PROTOCOL -> Kind.BUSY;
            case FULL -> Kind.FULL;
            case IOERR, NOMEM -> Kind.IO;
            case READONLY, CANTOPEN -> Kind.READ_ONLY;
            case CORRUPT, NOTADB -> Kind.CORRUPT;
            case CONSTRAINT, TOOBIG, MISMATCH -> Kind.INVALID;
            default -> Kind.OTHER;
        };
    }

    /** Whether a connection that saw this family may be broken and must not go back to the pool. */
    static boolean evicts(Kind kind) {
        return switch (kind) {
            case BUSY, FULL, INVALID -> false;
            case IO, READ_ONLY, CORRUPT, SCHEMA, OTHER -> true;
        };
    }

    /** The driver's message without its repeated "[SQLITE_...]" prefix noise, for our own messages. */
    static String describe(Throwable error) {
        int code = resultCode(error);
        String message = String.valueOf(error.getMessage());
        return code == NONE ? message : message + " (result code " + code + ")";
    }

}
