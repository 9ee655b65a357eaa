package dev.sqlitemetrics.core.internal.postgres;

import dev.sqlitemetrics.core.PostgresConfig;
import dev.sqlitemetrics.core.internal.read.PruneDialect;
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
 * The read side on a PostgreSQL server, retention included: pruning transactions that take an
 * advisory lock named after the table, so pruners take turns (writers are not held up: they insert
 * newer rows); rows located by {@code ctid}; read-only connections outside autocommit, so the driver
 * streams a large result in fetches instead of holding it all; {@code timestamptz} and
 * {@code uuid} columns. Internal: not part of the API.
 */
public final class PostgresReadSide implements PruneDialect {
    private final PostgresConfig config;
    private final DataSource dataSource;

    private PostgresReadSide(PostgresConfig config, DataSource dataSource) {
        this.config = config;
        this.dataSource = dataSource;
    }

    /** The dialect of {@code config}'s table, through {@code dataSource} or, if null, the config's URL and credentials. */
    public static ReadDialect dialect(PostgresConfig config, DataSource dataSource) {
        return new PostgresReadSide(config, dataSource != null ? dataSource : PostgresConnections.driverDataSource(config));
    }

    /** The same, for pruning, with the config's URL and credentials. */
    public static PruneDialect pruning(PostgresConfig config) {
        return new PostgresReadSide(config, PostgresConnections.driverDataSource(config));
    }

    @Override
    public Connection connectForWriting() throws SQLException {
        Connection connection = dataSource.getConnection();
        connection.setAutoCommit(false);
        return connection;
    }

    /** Waits only for another pruner: recorders insert new rows and never wait for a prune's row locks. */
    @Override
    public long begin(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
            lock.setString(1, "sqlite-metrics prune " + config.tableName());
            lock.execute();
        }
        return 0;
    }

    @Override
    public void commit(Connection connection) throws SQLException {
        connection.commit();
    }

    @Override
    public void rollback(Connection connection) throws SQLException {
        connection.rollback();
    }

    @Override
    public String rowLocator() {
        return "ctid";
    }

    @Override
    public String bigintType() {
        return "bigint";
    }

    @Override
    public String bytesType() {
        return "bytea";
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
    public Connection connectForSnapshot() throws SQLException {
        Connection connection = connect();
        try {
            // Before the first statement: the whole transaction then reads one snapshot.
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
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
