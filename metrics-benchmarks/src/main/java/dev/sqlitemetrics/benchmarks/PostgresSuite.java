package dev.sqlitemetrics.benchmarks;

import dev.sqlitemetrics.core.PostgresConfig;
import dev.sqlitemetrics.testkit.ContentionRunner;
import dev.sqlitemetrics.testkit.LevelResult;
import dev.sqlitemetrics.testkit.Scenario;
import dev.sqlitemetrics.testkit.WriterKind;
import org.openjdk.jmh.runner.RunnerException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The PostgreSQL figures: the server's commit-per-row rate from 1 and 64 JDBC clients, the recorder
 * from 1, 64 and 256 threads and asynchronously, and 500 simultaneous writers in 5 JVMs, naive
 * (a connection per record) against the recorder.
 */
final class PostgresSuite {
    static final int SIMULTANEOUS = 500;
    static final int JVMS = 5;

    private PostgresSuite() {
    }

    static void runJmh(JmhRuns jmh, BenchServer server) throws RunnerException {
        String[] fork = server.jvmArgs();
        for (int clients : new int[] {1, 64}) {
            jmh.run("pg raw commit " + clients, "RawPostgresBenchmark.commitPerRow", clients, null, fork);
        }
        for (int threads : new int[] {1, 64, 256}) {
            jmh.run("pg record " + threads, "PostgresRecordBenchmark.record", threads, null, fork);
        }
        jmh.run("pg recordAsync 1", "PostgresRecordBenchmark.recordAsync", 1, null, fork);
    }

    /** 500 writers released at once across 5 JVMs, one record each: the naive writer, then the recorder. */
    static List<String> simultaneousWriters(BenchServer server) throws IOException, SQLException {
        Path dir = Files.createTempDirectory("sqlite-metrics-pg-bursts");
        List<String> rows = new ArrayList<>();
        Scenario burst = Scenario.builder().writerCounts(SIMULTANEOUS).processes(JVMS).build();
        for (WriterKind writer : new WriterKind[] {WriterKind.RECORDER, WriterKind.NAIVE}) {
            PostgresConfig config = server.config(BenchServer.freshTable(writer.name().toLowerCase(Locale.ROOT)));
            BenchServer.create(config);
            try {
                LevelResult level = ContentionRunner.run(burst.toBuilder().writer(writer).build(), config,
                        dir.resolve(writer.name())).levels().get(0);
                rows.add(String.format(Locale.ROOT, "| %s, %d writers in %d JVMs, 1 record each | %d of %d failed (%.0f%%) | %s | %d lost | %.0f ms |",
                        writer == WriterKind.NAIVE ? "naive (connection per record, no retry)" : "recorder (defaults)",
                        SIMULTANEOUS, JVMS, level.failed(), level.attempted(), 100.0 * level.failed() / level.attempted(),
                        level.failuresByCode().isEmpty() ? "none" : level.failuresByCode().toString(), level.lost(),
                        level.drainMs()));
            } finally {
                BenchServer.drop(config);
            }
        }
        Folders.deleteTree(dir);
        return rows;
    }
}
