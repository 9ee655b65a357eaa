package dev.sqlitemetrics.core.internal.postgres;

import dev.sqlitemetrics.core.PostgresConfig;
import dev.sqlitemetrics.core.internal.read.ReadDialect;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The read side on a PostgreSQL server: read-only connections outside autocommit, so the driver
 * streams a large result in fetches instead of holding it all; {@code timestamptz} and
 * {@code uuid} columns. Internal: not part of the API.
 */
public final class PostgresReads implements ReadDialect {
    private final PostgresConfig config;
    private final DataSource dataSource;

    private PostgresReads(PostgresConfig config, DataSource dataSource) {
        this.config = config;
        this.dataSource = dataSource;
    }

    /** The dialect of {@code config}'s table, through {@code dataSource} or, if null, the config's URL and credentials. */
    public static ReadDialect dialect(PostgresConfig config, DataSource dataSource) {
        return new PostgresReads(config, dataSource != null ? dataSource : PostgresConnections.driverDataSource(config));
    }

    @Override
    public String table() {
        return config.tableName();
    }

    @Override
    public Connection connect() throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            return connection;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    @Override
    public String hostColumn() {
        return "host";
    }

    @Override
    public void bindTime(PreparedStatement statement, int index, Instant time) throws SQLException {
        statement.setTimestamp(index, Timestamp.from(time));
    }

    @Override
    public Instant time(ResultSet rows, int column) throws SQLException {
        OffsetDateTime time = rows.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    @Override
    public void bindId(PreparedStatement statement, int index, UUID id) throws SQLException {
        statement.setObject(index, id);
    }
}
