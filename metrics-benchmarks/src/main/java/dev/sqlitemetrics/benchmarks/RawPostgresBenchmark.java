package dev.sqlitemetrics.benchmarks;

import dev.sqlitemetrics.core.PostgresConfig;
import dev.sqlitemetrics.core.RecordIds;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The server's own commit-per-row rate, as pgbench measures it but over JDBC: every thread is one
 * client with its own connection and one autocommit INSERT of the recorder's row shape per operation.
 * Scores are rows per second.
 */
public class RawPostgresBenchmark {

    /** The trial's empty table, created by the recorder and dropped afterwards. */
    @State(Scope.Benchmark)
    public static class Table {
        PostgresConfig config;

        @Setup
        public void create() {
            config = BenchServer.forkConfig(BenchServer.freshTable("raw"));
            BenchServer.create(config);
        }

        @TearDown
        public void drop() throws SQLException {
            BenchServer.drop(config);
        }
    }

    /** One client: its connection and prepared INSERT. */
    @State(Scope.Thread)
    public static class Client {
        private Connection connection;
        private PreparedStatement insert;

        @Setup
        public void connect(Table table) throws SQLException {
            connection = BenchServer.connect(table.config);
            insert = connection.prepareStatement("INSERT INTO \"" + table.config.tableName()
                    + "\" (id, ts, msg, pid, host) VALUES (?, now(), ?, 1, 'bench')");
        }

        @TearDown
        public void close() throws SQLException {
            connection.close();
        }
    }

    /** One autocommit INSERT: one commit, one WAL flush (shared by whichever clients commit at once). */
    @Benchmark
    public int commitPerRow(Client client) throws SQLException {
        client.insert.setObject(1, RecordIds.next());
        client.insert.setString(2, "raw");
        return client.insert.executeUpdate();
    }
}
