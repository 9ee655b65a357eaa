package dev.sqlitemetrics.core.internal.sqlite;

import dev.sqlitemetrics.core.RecorderListener;
import dev.sqlitemetrics.core.WriteOutcome;
import dev.sqlitemetrics.core.internal.write.StoreFailure;
import dev.sqlitemetrics.core.internal.write.StoreFailure.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * The writer's own connection to a SQLite file: opened directly (never waited for in the pool), kept
 * across batches, and dropped after an error that may have broken it (the listener hears of it), so
 * the next batch starts on a fresh one. Writer thread only.
 */
final class WriterConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WriterConnection.class);

    private final Path path;
    private final SqliteConnections connections;
    /** The seam through which the write-path tests inject failures; the identity otherwise. */
    private final UnaryOperator<Connection> wrap;
    private final SqliteSchema schema;
    private final Duration busyTimeout;
    private final RecorderListener listener;
    private WriterSession session;

    WriterConnection(Path path, SqliteConnections connections, UnaryOperator<Connection> wrap, SqliteSchema schema,
                     Duration busyTimeout, RecorderListener listener) {
        this.path = path;
        this.connections = connections;
        this.wrap = wrap;
        this.schema = schema;
        this.busyTimeout = busyTimeout;
        this.listener = listener;
    }

    /** The writer's connection, opened on first use and kept until an error breaks it or the store closes. */
    WriterSession session() {
        if (session == null) {
            Connection connection = null;
            try {
                connection = wrap.apply(connections.openWriter());
                session = new WriterSession(connection, schema, busyTimeout);
            } catch (SQLException e) {
                throw SqliteStore.classify(path, "opening the writer's connection to", e);
            } catch (RuntimeException | Error e) {
                closeQuietly(connection);
                throw new StoreFailure("opening the writer's connection to " + path + " failed unexpectedly: "
                        + e, e, Kind.OTHER, SqliteErrors.NONE, WriteOutcome.NOT_WRITTEN, false);
            }
        }
        return session;
    }

    /** Rolls back whatever may be open, without letting anything escape: the connection is dropped next anyway. */
    static void rollbackQuietly(WriterSession session, SQLException cause) {
        try {
            session.execute("ROLLBACK");
        } catch (SQLException e) {
            // "no transaction is active" when the failure struck before BEGIN took effect.
            cause.addSuppressed(e);
        } catch (RuntimeException | Error e) {
            cause.addSuppressed(e);
        }
    }

    /** Rolls back; returns false if that failed, and the connection must then be closed, not pooled. */
    static boolean rollback(WriterSession session, SQLException cause) {
        try {
            session.execute("ROLLBACK");
            return true;
        } catch (SQLException | RuntimeException | Error e) {
            cause.addSuppressed(e);
            return false;
        }
    }

    /** Drops the connection (if one is open) after an error that may have broken it; the next batch opens another. */
    void discard(SQLException cause) {
        if (session == null) {
            return;
        }
        WriterSession dropped = session;
        session = null;
        try {
            dropped.close();
        } finally {
            release(dropped.connection(), true, cause);
        }
    }

    /** Closes the writer's connection; one that an error may have broken is reported as evicted. */
    private void release(Connection connection, boolean broken, SQLException cause) {
        closeQuietly(connection);
        if (broken) {
            int code = cause == null ? SqliteErrors.READONLY_DBMOVED : SqliteErrors.resultCode(cause);
            LOG.warn("sqlite-metrics closed the writer's connection to {} after {}", path,
                    cause == null ? "the database file moved" : SqliteErrors.describe(cause));
            listener.onConnectionEvicted(code);
        }
    }

    private void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException | RuntimeException e) {
            LOG.debug("sqlite-metrics closing a connection to {} failed", path, e);
        }
    }

    /** Closes the connection, if one is open. */
    @Override
    public void close() {
        if (session != null) {
            session.close();
            release(session.connection(), false, null);
            session = null;
        }
    }
}
