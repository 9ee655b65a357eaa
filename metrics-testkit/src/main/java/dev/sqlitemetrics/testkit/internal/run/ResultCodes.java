package dev.sqlitemetrics.testkit.internal.run;

import org.sqlite.SQLiteErrorCode;

/** Names SQLite result codes the way reports and ledgers print them. Internal. */
public final class ResultCodes {
    private ResultCodes() {
    }

    /** The name of an extended SQLite result code, e.g. {@code SQLITE_BUSY}; {@code NO_CODE} for none. */
    public static String name(int code) {
        if (code < 0) {
            return "NO_CODE";
        }
        SQLiteErrorCode known = SQLiteErrorCode.getErrorCode(code);
        return known == SQLiteErrorCode.UNKNOWN_ERROR ? "SQLITE_" + code : known.name();
    }
}
