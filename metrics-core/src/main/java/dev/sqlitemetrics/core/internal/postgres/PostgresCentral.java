package dev.sqlitemetrics.core.internal.postgres;

import dev.sqlitemetrics.core.PostgresConfig;
import dev.sqlitemetrics.core.WriteOutcome;
import dev.sqlitemetrics.core.internal.forward.Central;
import dev.sqlitemetrics.core.internal.forward.ForwardedRow;
import dev.sqlitemetrics.core.internal.write.StoreFailure;
import dev.sqlitemetrics.core.internal.write.StoreFailure.Kind;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * The PostgreSQL store's table as the forwarder's destination: the PostgreSQL recorder's table, so
 * forwarded and directly recorded completions live together, each forwarded row with the forwarding
 * host and its file's identity ({@code source}). A batch is one statement over arrays and one
 * transaction; {@code ON CONFLICT (id) DO NOTHING} makes shipping a batch again harmless, which is how
 * a lost COMMIT is settled. Connects on first use, so a server that is down does not stop a forwarder
 * from starting. Internal: not part of the API.
 */
public final class PostgresCentral implements Central {
    private final PostgresConfig config;
    private final DataSource dataSource;
    private final PostgresSchema schema;
    private final String insertSql;
    private final String insertOneSql;
    private Connection connection;

    public PostgresCentral(PostgresConfig config, DataSource dataSource) {
        this.config = config;
        this.dataSource = dataSource != null ? dataSource : PostgresConnections.driverDataSource(config);
        this.schema = new PostgresSchema(config.tableName());
        String host = PostgresStore.HOST.replace("'", "''");
        String into = "INSERT INTO \"" + config.tableName()
                + "\" (id, ts, msg, task, outcome, duration_ms, attributes, pid, host, source) ";
        // A time the file held as text that is no time arrives as the time it was forwarded.
        this.insertSql = into + "SELECT id, coalesce(to_timestamp(ts_ms / 1000.0), now()), msg, task, outcome,"
                + " duration_ms, CAST(attributes AS jsonb), pid, '" + host + "', ?"
                + " FROM unnest(CAST(? AS uuid[]), CAST(? AS bigint[]), CAST(? AS text[]), CAST(? AS text[]),"
                + " CAST(? AS text[]), CAST(? AS float8[]), CAST(? AS text[]), CAST(? AS int[]))"
                + " AS batch(id, ts_ms, msg, task, outcome, duration_ms, attributes, pid)"
                + " ON CONFLICT (id) DO NOTHING";
        // The fallback for a row whose attributes the server refuses as JSON: they arrive as one JSON string.
        this.insertOneSql = into + "VALUES (?, coalesce(to_timestamp(CAST(? AS bigint) / 1000.0), now()), ?, ?, ?, ?,"
                + " to_jsonb(CAST(? AS text)), ?, '" + host + "', ?) ON CONFLICT (id) DO NOTHING";
    }

    @Override
    public String identify() {
        try {
            Connection current = connection();
            try (java.sql.Statement statement = current.createStatement();
                 java.sql.ResultSet found = statement.executeQuery("SELECT current_database(), current_schema()")) {
                found.next();
                String place = found.getString(1) + "/" + found.getString(2) + "." + schema.table();
                String identity = "postgresql:" + systemIdentifier(current) + "/" + place;
                current.commit();
                return identity;
            }
        } catch (SQLException e) {
            drop();
            throw failure("identifying", e);
        }
    }

    /**
     * The cluster's {@code system_identifier}, which every standby of it shares; where a server does not
     * let this user read it, the address the server answered on.
     */
    private static String systemIdentifier(Connection connection) throws SQLException {
        execute(connection, "SAVEPOINT identify");
        try (java.sql.Statement statement = connection.createStatement();
             java.sql.ResultSet found = statement.executeQuery("SELECT system_identifier FROM pg_control_system()")) {
            found.next();
            execute(connection, "RELEASE SAVEPOINT identify");
            return found.getString(1);
        } catch (SQLException e) {
            execute(connection, "ROLLBACK TO SAVEPOINT identify");
            try (java.sql.Statement statement = connection.createStatement();
                 java.sql.ResultSet found = statement.executeQuery(
                         "SELECT coalesce(host(inet_server_addr()), 'local') || ':' || coalesce(inet_server_port(), 0)")) {
                found.next();
                return found.getString(1);
            }
        }
    }

    @Override
    public int insert(UUID source, List<ForwardedRow> rows) {
        try {
            Connection current = connection();
            try {
                int added = insertBatch(current, source, rows);
                current.commit();
                return added;
            } catch (SQLException e) {
                if (!"22".equals(classOf(e)) || PostgresErrors.connectionLost(e)) {
                    throw e;
                }
                // One row's content was refused (a foreign client's attributes): row by row, that one mended.
                current.rollback();
                int added = insertOneByOne(current, source, rows);
                current.commit();
                return added;
            }
        } catch (SQLException e) {
            drop();
            // Whatever failed, the next pass ships the same rows again: the ids make that safe.
            throw failure("shipping " + rows.size() + " rows to", e);
        } catch (RuntimeException | Error e) {
            drop();
            throw e;
        }
    }

    private int insertBatch(Connection current, UUID source, List<ForwardedRow> rows) throws SQLException {
        BatchColumns columns = new BatchColumns(rows.size());
        Integer[] pids = new Integer[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            ForwardedRow row = rows.get(i);
            columns.set(i, row.id(), row.time() == null ? null : row.time().toEpochMilli(), row.message(), row.task(),
                    row.outcome(), row.durationMs(), row.attributes());
            pids[i] = row.pid();
        }
        try (PreparedStatement insert = current.prepareStatement(insertSql);
             ArrayParameters arrays = new ArrayParameters(current, insert)) {
            insert.setString(1, source.toString());
            columns.bind(arrays, 2);
            arrays.set(9, "int4", pids);
            return insert.executeUpdate();
        }
    }

    private int insertOneByOne(Connection current, UUID source, List<ForwardedRow> rows) throws SQLException {
        int added = 0;
        for (ForwardedRow row : rows) {
            try {
                execute(current, "SAVEPOINT forwarded_row");
                added += insertBatch(current, source, List.of(row));
                execute(current, "RELEASE SAVEPOINT forwarded_row");
            } catch (SQLException e) {
                if (!"22".equals(classOf(e))) {
                    throw e;
                }
                execute(current, "ROLLBACK TO SAVEPOINT forwarded_row");
                try (PreparedStatement insert = current.prepareStatement(insertOneSql)) {
                    insert.setObject(1, row.id());
                    insert.setObject(2, row.time() == null ? null : row.time().toEpochMilli(), java.sql.Types.BIGINT);
                    insert.setString(3, PostgresText.storable(row.message()));
                    insert.setString(4, PostgresText.storable(row.task()));
                    insert.setString(5, PostgresText.storable(row.outcome()));
                    insert.setObject(6, row.durationMs(), java.sql.Types.DOUBLE);
                    insert.setString(7, PostgresText.storable(row.attributes()));
                    insert.setObject(8, row.pid(), java.sql.Types.INTEGER);
                    insert.setString(9, source.toString());
                    added += insert.executeUpdate();
                }
            }
        }
        return added;
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            Connection opened = dataSource.getConnection();
            try {
                schema.create(opened);
                List<String> differences = schema.differences(opened);
                if (!differences.isEmpty()) {
                    throw new StoreFailure("table " + schema.table() + " on " + config.database() + " has another shape"
                            + " than forwarding needs: " + String.join("; ", differences) + "; nothing was altered", null,
                            Kind.SCHEMA, (String) null, WriteOutcome.NOT_WRITTEN, false);
                }
                schema.addSourceColumn(opened);
                opened.setAutoCommit(false);
            } catch (SQLException | RuntimeException e) {
                try {
                    opened.close();
                } catch (SQLException closing) {
                    e.addSuppressed(closing);
                }
                throw e;
            }
            connection = opened;
        }
        return connection;
    }

    private StoreFailure failure(String action, SQLException e) {
        Kind kind = PostgresErrors.kind(e);
        return new StoreFailure(action + " " + config.database() + " failed: " + PostgresErrors.describe(e), e, kind,
                PostgresErrors.sqlState(e), WriteOutcome.UNKNOWN, PostgresErrors.retryable(kind));
    }

    private static String classOf(SQLException e) {
        String state = PostgresErrors.sqlState(e);
        return state == null || state.length() < 2 ? "" : state.substring(0, 2);
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (java.sql.Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private void drop() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // Broken already.
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        drop();
    }
}
