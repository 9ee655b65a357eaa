package dev.sqlitemetrics.benchmarks;

import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.core.Synchronous;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The recorder: synchronous {@code record()} from however many threads the run uses (one shared
 * recorder, as the library is meant to be used), and {@code recordAsync()} with many in flight.
 * Scores are acknowledged records per second.
 */
@State(Scope.Benchmark)
public class RecordBenchmark {
    static final int IN_FLIGHT = 1024;

    @Param({"FULL", "NORMAL"})
    public Synchronous synchronous;

    private BenchDatabase database;
    private MetricsRecorder recorder;

    @Setup
    public void open() throws Exception {
        database = BenchDatabase.create(synchronous);
        recorder = MetricsRecorder.open(SqliteConfig.builder(database.file()).synchronous(synchronous).build());
    }

    @TearDown
    public void close() throws Exception {
        recorder.close();
        database.close();
    }

    /** Blocks until the record is durably committed. */
    @Benchmark
    public UUID record() {
        return recorder.record("job done");
    }

    /** Keeps {@value #IN_FLIGHT} records in flight per thread and waits for all of them. */
    @Benchmark
    @OperationsPerInvocation(IN_FLIGHT)
    public Object recordAsync() {
        @SuppressWarnings("unchecked")
        CompletableFuture<UUID>[] futures = new CompletableFuture[IN_FLIGHT];
        for (int i = 0; i < IN_FLIGHT; i++) {
            futures[i] = recorder.recordAsync("job done");
        }
        return CompletableFuture.allOf(futures).join();
    }
}
