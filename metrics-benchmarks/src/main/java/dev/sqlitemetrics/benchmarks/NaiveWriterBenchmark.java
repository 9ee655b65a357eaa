package dev.sqlitemetrics.benchmarks;

import dev.sqlitemetrics.core.RecordIds;
import dev.sqlitemetrics.core.Synchronous;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The classic experiment's insert_row: a fresh connection per record, one autocommit INSERT, no retry, the
 * driver's 3 s busy timeout. A "database is locked" failure is data, not an error: the score
 * counts calls, and the secondary result {@code failed} counts the calls that failed.
 */
@State(Scope.Benchmark)
public class NaiveWriterBenchmark {
    private BenchDatabase database;

    /** Per-thread count of failed calls, reported by JMH as events per iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Outcomes {
        public long failed;

        @Setup(Level.Iteration)
        public void reset() {
            failed = 0;
        }
    }

    @Setup
    public void open() throws Exception {
        database = BenchDatabase.create(Synchronous.FULL);
    }

    @TearDown
    public void close() throws Exception {
        database.close();
    }

    @Benchmark
    public void insertRow(Outcomes outcomes) {
        try (Connection connection = DriverManager.getConnection(database.url());
             PreparedStatement insert = connection.prepareStatement("INSERT INTO messages (id, msg) VALUES (?, ?)")) {
            insert.setString(1, RecordIds.next().toString());
            insert.setString(2, "naive");
            insert.executeUpdate();
        } catch (SQLException e) {
            outcomes.failed++;
        }
    }
}
