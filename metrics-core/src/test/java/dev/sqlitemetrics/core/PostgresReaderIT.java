package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.testing.PostgresServer;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** The read side on a PostgreSQL server: the same rows give the same results as on SQLite. */
class PostgresReaderIT extends ReaderContract {
    @RegisterExtension
    static final PostgresServer.PerClass CLUSTER = new PostgresServer.PerClass();
    private static final AtomicInteger TABLES = new AtomicInteger();

    private final String table = "read_" + TABLES.incrementAndGet();

    @Override
    StoreConfig config() {
        return PostgresConfig.builder(CLUSTER.server().jdbcUrl()).user("postgres").tableName(table).build();
    }

    @Override
    Connection connect() throws SQLException {
        return DriverManager.getConnection(CLUSTER.server().jdbcUrl(), "postgres", "");
    }

    @Override
    String timestamp(Instant time) {
        return "'" + time + "'::timestamptz";
    }

    @org.junit.jupiter.api.Test
    void aTableMadeWithoutTheIndexesGetsThemBuiltConcurrentlyAtOpen() throws SQLException {
        String old = table + "_old";
        try (Connection connection = connect()) {
            connection.createStatement().execute("CREATE TABLE \"" + old + "\" (ts timestamptz NOT NULL DEFAULT now(),"
                    + " msg text, id uuid UNIQUE, task text, outcome text, duration_ms double precision, attributes jsonb,"
                    + " pid integer, host text)");
            connection.createStatement().execute("INSERT INTO \"" + old + "\" (msg) SELECT 'old ' || n FROM generate_series(1, 1000) n");
        }
        MetricsRecorder.open(PostgresConfig.builder(CLUSTER.server().jdbcUrl()).user("postgres").tableName(old).build()).close();
        try (Connection connection = connect();
             var rows = connection.createStatement().executeQuery("SELECT c.relname, i.indisvalid FROM pg_index i"
                     + " JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = '\"" + old + "\"'::regclass"
                     + " AND NOT i.indisunique ORDER BY c.relname")) {
            java.util.List<String> found = new java.util.ArrayList<>();
            while (rows.next()) {
                found.add(rows.getString(1) + (rows.getBoolean(2) ? "" : " (invalid)"));
            }
            org.assertj.core.api.Assertions.assertThat(found).containsExactly(old + "_ts");
        }
    }

    @Override
    void bindId(PreparedStatement statement, int index, UUID id) throws SQLException {
        statement.setObject(index, id);
    }
}
