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
    static final int BATCH = 10_240;
    static final String INSERT = "INSERT INTO messages (id, ts, msg, pid) VALUES (?, '2026-01-01 00:00:00.000', ?, 1)";
    /** Rows per statement of the batch ceiling: as many as the recorder's writer sends in one. */
    static final int ROWS_PER_STATEMENT = 32;
    static final String INSERT_MANY = "INSERT INTO messages (id, ts, msg, pid) VALUES "
            + String.join(", ", java.util.Collections.nCopies(ROWS_PER_STATEMENT, "(?, '2026-01-01 00:00:00.000', ?, 1)"));

    @Param({"FULL", "NORMAL"})
    public Synchronous synchronous;

    private BenchDatabase database;
    private Connection connection;
    private PreparedStatement insert;
    private PreparedStatement insertMany;
    private Statement statement;

    @Setup
    public void open() throws Exception {
        database = BenchDatabase.create(synchronous);
        Properties properties = new Properties();
        properties.setProperty("synchronous", synchronous.name());
        connection = DriverManager.getConnection(database.url(), properties);
        insert = connection.prepareStatement(INSERT);
        insertMany = connection.prepareStatement(INSERT_MANY);
        statement = connection.createStatement();
    }

    @TearDown
    public void close() throws Exception {
        connection.close();
        database.close();
    }

    /**
     * One transaction of {@value #BATCH} rows, sent {@value #ROWS_PER_STATEMENT} per prepared statement:
     * the batch ceiling (one row per statement is about a quarter slower).
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void batchInOneTransaction() throws SQLException {
        statement.execute("BEGIN IMMEDIATE");
        for (int i = 0; i < BATCH; i += ROWS_PER_STATEMENT) {
            for (int row = 0; row < ROWS_PER_STATEMENT; row++) {
                insertMany.setString(2 * row + 1, RecordIds.next().toString());
                insertMany.setString(2 * row + 2, "raw");
            }
            insertMany.addBatch();
        }
        insertMany.executeBatch();
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
