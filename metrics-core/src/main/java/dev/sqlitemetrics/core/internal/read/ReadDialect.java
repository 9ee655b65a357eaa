package dev.sqlitemetrics.core.internal.read;

import dev.sqlitemetrics.core.ForwardingLag;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What the read side needs to know of a store: how to connect for reading, and how timestamps and
 * ids are stored. Everything else (the SQL, the summaries) is shared. Internal: not part of the API.
 */
public interface ReadDialect {

    /** The table's name, unquoted. */
    String table();

    /** A connection for reading, set up to stream large results; the caller closes it. */
    Connection connect() throws SQLException;

    /**
     * A connection for reading whose statements all see one snapshot of the database, so that rows a
     * pruner moves meanwhile from the table into the per-day table are read in one place only.
     */
    Connection connectForSnapshot() throws SQLException;

    /** The expression to select for the recording host, or {@code NULL} where the table has none. */
    String hostColumn();

    /** Binds a timestamp as the store compares it with its {@code ts} column. */
    void bindTime(PreparedStatement statement, int index, Instant time) throws SQLException;

    /** Reads the {@code ts} column, or {@code null} when it holds nothing readable as a time. */
    Instant time(ResultSet rows, int column) throws SQLException;

    /** Where forwarding of this table stands, per server it ships to; none where nothing is forwarded from. */
    default List<ForwardingLag> forwarding(Connection connection) throws SQLException {
        return List.of();
    }

    /** Binds an id as the store keeps it. */
    void bindId(PreparedStatement statement, int index, UUID id) throws SQLException;
}
