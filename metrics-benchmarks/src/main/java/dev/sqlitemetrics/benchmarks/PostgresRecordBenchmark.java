package dev.sqlitemetrics.benchmarks;

import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.PostgresConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The recorder on PostgreSQL: synchronous {@code record()} from however many threads the run uses
 * (one shared recorder), and {@code recordAsync()} with many in flight. Scores are acknowledged
 * records per second.
 */
@State(Scope.Benchmark)
public class PostgresRecordBenchmark {
    private PostgresConfig config;
    private MetricsRecorder recorder;

    @Setup
    public void open() {
        config = BenchServer.forkConfig(BenchServer.freshTable("record"));
        recorder = MetricsRecorder.open(config);
    }

    @TearDown
    public void close() throws SQLException {
        recorder.close();
        BenchServer.drop(config);
    }

    /** Blocks until the record is committed. */
    @Benchmark
    public UUID record() {
        return recorder.record("job done");
    }

    /** Keeps {@value RecordBenchmark#IN_FLIGHT} records in flight per thread and waits for all of them. */
    @Benchmark
    @OperationsPerInvocation(RecordBenchmark.IN_FLIGHT)
    public Object recordAsync() {
        @SuppressWarnings("unchecked")
        CompletableFuture<UUID>[] futures = new CompletableFuture[RecordBenchmark.IN_FLIGHT];
        for (int i = 0; i < RecordBenchmark.IN_FLIGHT; i++) {
            futures[i] = recorder.recordAsync("job done");
        }
        return CompletableFuture.allOf(futures).join();
    }
}
