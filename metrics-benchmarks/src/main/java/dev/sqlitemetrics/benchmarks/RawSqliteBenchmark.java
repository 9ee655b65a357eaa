package dev.sqlitemetrics.benchmarks;

import dev.sqlitemetrics.core.RecordIds;
import dev.sqlitemetrics.core.Synchronous;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The physical ceilings on this machine: one sqlite-jdbc connection, no contention, the recorder's
 * row shape (time-ordered text id, timestamp, message, pid). Scores are rows per second.
 */
@State(Scope.Thread)
public class RawSqliteBenchmark {
    static final int BATCH = 10_000;
    static final String INSERT = "INSERT INTO messages (id, ts, msg, pid) VALUES (?, '2026-01-01 00:00:00.000', ?, 1)";

    @Param({"FULL", "NORMAL"})
    public Synchronous synchronous;

    private BenchDatabase database;
    private Connection connection;
    private PreparedStatement insert;
    private Statement statement;

    @Setup
    public void open() throws Exception {
        database = BenchDatabase.create(synchronous);
        Properties properties = new Properties();
        properties.setProperty("synchronous", synchronous.name());
        connection = DriverManager.getConnection(database.url(), properties);
        insert = connection.prepareStatement(INSERT);
        statement = connection.createStatement();
    }

    @TearDown
    public void close() throws Exception {
        connection.close();
        database.close();
    }

    /** One transaction of {@value #BATCH} prepared inserts: the batch ceiling. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void batchInOneTransaction() throws SQLException {
        statement.execute("BEGIN IMMEDIATE");
        for (int i = 0; i < BATCH; i++) {
            insert.setString(1, RecordIds.next().toString());
            insert.setString(2, "raw");
            insert.addBatch();
        }
        insert.executeBatch();
        statement.execute("COMMIT");
    }

    /** One autocommit INSERT: one commit (and, with FULL, one fsync) per row. */
    @Benchmark
    public void commitPerRow() throws SQLException {
        insert.setString(1, RecordIds.next().toString());
        insert.setString(2, "raw");
        insert.executeUpdate();
    }
}
