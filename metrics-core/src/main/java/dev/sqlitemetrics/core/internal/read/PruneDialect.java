package dev.sqlitemetrics.core.internal.read;

import dev.sqlitemetrics.core.HeldBack;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * What pruning needs beyond reading: a connection that may write, a transaction that holds the
 * store's write lock (SQLite) or serialises pruners (PostgreSQL), how a row is located, and the
 * per-day table's types. Internal: not part of the API.
 */
public interface PruneDialect extends ReadDialect, AutoCloseable {

    /** A connection for pruning; the caller closes it. */
    Connection connectForWriting() throws SQLException;

    /**
     * Starts one batch's transaction; how long it waited for writers first, in nanoseconds (0 where
     * writers never wait for a pruner). A wait means writers are busy, and pruning then leaves them
     * most of the lock's time.
     */
    long begin(Connection connection) throws SQLException;

    /** Commits it. */
    void commit(Connection connection) throws SQLException;

    /** Rolls it back. */
    void rollback(Connection connection) throws SQLException;

    /**
     * A condition ({@code " AND ..."}) that keeps rows pruning must not delete even when old: on a
     * forwarded SQLite file, the rows not yet shipped. Empty when every old row may go. Asked inside
     * each batch's transaction.
     */
    default String onlyDeletable(Connection connection) throws SQLException {
        return "";
    }

    /** Told, inside a batch's transaction, that it deleted {@code rows} rows, all of them deletable. */
    default void deleted(Connection connection, int rows) throws SQLException {
    }

    /** The old rows {@link #onlyDeletable} keeps, per server that has not received them: none by default. */
    default List<HeldBack> heldBack(Connection connection, Instant before) throws SQLException {
        return List.of();
    }

    /** The hidden column that names a row: {@code rowid}, {@code ctid}. */
    String rowLocator();

    /** The SQL type of an integer count and of the histogram's bytes. */
    String bigintType();

    /** The SQL type of the histogram's bytes. */
    String bytesType();

    /** Releases what pruning holds between calls. */
    @Override
    default void close() {
    }
}
