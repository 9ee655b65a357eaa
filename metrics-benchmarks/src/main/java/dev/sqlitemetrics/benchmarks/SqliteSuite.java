package dev.sqlitemetrics.benchmarks;

import org.openjdk.jmh.runner.RunnerException;

/** The SQLite figures: raw ceilings, the naive writer, and the recorder at each synchronous level. */
final class SqliteSuite {
    private SqliteSuite() {
    }

    static void runJmh(JmhRuns jmh) throws RunnerException {
        for (String sync : new String[] {"FULL", "NORMAL"}) {
            jmh.run("raw batch " + sync, "RawSqliteBenchmark.batchInOneTransaction", 1, sync);
            jmh.run("raw commit " + sync, "RawSqliteBenchmark.commitPerRow", 1, sync);
        }
        for (int threads : new int[] {1, 8, 64}) {
            jmh.run("naive " + threads, "NaiveWriterBenchmark.insertRow", threads, null);
        }
        for (String sync : new String[] {"FULL", "NORMAL"}) {
            for (int threads : new int[] {1, 8, 64, 256}) {
                jmh.run("record " + sync + " " + threads, "RecordBenchmark.record", threads, sync);
            }
            for (int threads : new int[] {1, 4}) {
                jmh.run("recordAsync " + sync + " " + threads, "RecordBenchmark.recordAsync", threads, sync);
            }
        }
    }
}
