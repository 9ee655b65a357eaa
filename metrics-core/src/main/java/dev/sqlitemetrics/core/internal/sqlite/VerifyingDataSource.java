package dev.sqlitemetrics.core.internal.sqlite;

import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

/**
 * Hands the pool new sqlite-jdbc connections to the file seen at open, whose pragmas were read
 * back and match the configuration; a connection whose settings did not take is closed and refused.
 */
final class VerifyingDataSource implements DataSource {
    private final SQLiteDataSource delegate;
    private final SqlitePragmas pragmas;
    private final FileIdentity identity;

    VerifyingDataSource(SqlitePragmas pragmas, FileIdentity identity) {
        this.pragmas = pragmas;
        this.identity = identity;
        this.delegate = new SQLiteDataSource(pragmas.pooled());
        this.delegate.setUrl(pragmas.url());
    }

    @Override
    public Connection getConnection() throws SQLException {
        // Opening a replaced file by name next to the old file's -wal would make SQLite apply that
        // WAL to it (and checkpoint it in on close): never open anything but the file seen at open.
        FileIdentity.Change change = identity.change();
        if (change != FileIdentity.Change.NONE) {
            // What SQLite itself reports for a database moved under an open connection: read-only, not a schema problem.
            throw new SQLiteException("database file " + identity.path() + " " + FileIdentity.describe(change)
                    + "; not opening it", SQLiteErrorCode.SQLITE_READONLY_DBMOVED);
        }
        Connection connection = delegate.getConnection();
        try {
            pragmas.verify(connection);
            return connection;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no java.util.logging parent logger");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        return delegate.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || delegate.isWrapperFor(type);
    }
}
