package dev.sqlitemetrics.core.internal.sqlite;

import dev.sqlitemetrics.core.internal.write.StoreFailure.Kind;
import org.junit.jupiter.api.Test;
import org.sqlite.core.DB;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** Classification of the driver's exceptions, including codes its enum does not list. */
class SqliteErrorsTest {

    @Test
    void anExtendedCodeTheDriverDoesNotListKeepsItsFamily() {
        // SQLITE_IOERR_IN_PAGE (8714 = IOERR | 34 << 8): the driver reports it as UNKNOWN_ERROR.
        SQLException inPage = DB.newSQLException(8714, "disk I/O error");
        assertThat(SqliteErrors.resultCode(inPage)).isEqualTo(8714);
        assertThat(SqliteErrors.kind(inPage)).isEqualTo(Kind.IO);
        // A busy code from a future SQLite release is retried like every other busy code.
        SQLException futureBusy = DB.newSQLException(5 | (63 << 8), "database is locked");
        assertThat(SqliteErrors.kind(futureBusy)).isEqualTo(Kind.BUSY);
    }

    @Test
    void listedCodesAreClassifiedByTheirPrimaryCode() {
        assertThat(SqliteErrors.kind(DB.newSQLException(517, "snapshot"))).isEqualTo(Kind.BUSY);
        assertThat(SqliteErrors.kind(DB.newSQLException(1032, "moved"))).isEqualTo(Kind.READ_ONLY);
        assertThat(SqliteErrors.kind(DB.newSQLException(275, "check"))).isEqualTo(Kind.INVALID);
        assertThat(SqliteErrors.resultCode(DB.newSQLException(778, "fsync"))).isEqualTo(778);
    }

    @Test
    void anExceptionWithoutACodeHasNone() {
        assertThat(SqliteErrors.resultCode(new SQLException("pool timed out"))).isEqualTo(SqliteErrors.NONE);
        assertThat(SqliteErrors.kind(new SQLException("odd"))).isEqualTo(Kind.OTHER);
    }
}
