package dev.sqlitemetrics.core.internal.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A statement's columns bound as one array each (which {@code unnest} turns back into rows), freed
 * once it ran: the server parses and plans one statement per batch whatever its size.
 */
final class ArrayParameters implements AutoCloseable {
    private final Connection connection;
    private final PreparedStatement statement;
    private final List<Array> arrays = new ArrayList<>();

    ArrayParameters(Connection connection, PreparedStatement statement) {
        this.connection = connection;
        this.statement = statement;
    }

    /** Binds {@code values} as an array of the server's {@code type} to parameter {@code index}. */
    ArrayParameters set(int index, String type, Object[] values) throws SQLException {
        Array array = connection.createArrayOf(type, values);
        arrays.add(array);
        statement.setArray(index, array);
        return this;
    }

    @Override
    public void close() throws SQLException {
        for (Array array : arrays) {
            array.free();
        }
    }
}
