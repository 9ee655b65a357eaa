package dev.sqlitemetrics.benchmarks;

import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.testkit.ContentionReport;
import dev.sqlitemetrics.testkit.ContentionRunner;
import dev.sqlitemetrics.testkit.LevelResult;
import dev.sqlitemetrics.testkit.Scenario;
import dev.sqlitemetrics.testkit.WriterKind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The burst targets, run through the testkit's contention runner (the engine of its CLI): a burst of
 * 10,000 in-process writers, drain time against burst size, 16 JVMs x 64 threads against one JVM
 * with 1,024 threads (with and without shared commits, and against a connection behind a lock with a
 * transaction per record), short-lived processes recording once, and the cost of opening a recorder.
 * Returns markdown rows.
 */
final class BurstScenarios {
    private BurstScenarios() {
    }

    static List<String> run(boolean quick) throws IOException {
        Path dir = Files.createTempDirectory("sqlite-metrics-bursts");
        List<String> rows = new ArrayList<>();
        try {
            SqliteConfig config = SqliteConfig.defaults(dir.resolve("burst.db"));
            ContentionReport ladder = ContentionRunner.run(
                    Scenario.builder().writerCounts(100, 1_000, 10_000).build(), config, dir.resolve("ladder"));
            LevelResult hundred = ladder.levels().get(0);
            LevelResult tenThousand = ladder.levels().get(2);
            rows.add(row("burst of 10,000 in-process writers, 1 record each", tenThousand,
                    target(tenThousand.lost() == 0 && tenThousand.p99Ms() < 250, "0 lost, p99 < 250 ms")));
            for (LevelResult level : ladder.levels()) {
                rows.add(row("drain ladder: " + level.writers() + " writers", level, ""));
            }
            double growth = tenThousand.drainMs() / hundred.drainMs();
            rows.add(String.format(Locale.ROOT, "| drain growth 100 -> 10,000 writers | %.1fx | | | | %s |", growth,
                    target(growth <= 150, "at most 150x")));

            int records = quick ? 10 : 50;
            // Both sides warmed up with the same records per thread, so the comparison is of contention,
            // not of 16 JVMs compiling the write path during the burst; the cold run is stated beside it.
            Scenario burst = Scenario.builder().writerCounts(1024).recordsPerWriter(records).warmUpRecords(records).build();
            LevelResult single = ContentionRunner.run(burst, config, dir.resolve("one-jvm")).levels().get(0);
            LevelResult multi = ContentionRunner.run(burst.toBuilder().processes(16).build(), config,
                    dir.resolve("sixteen-jvms")).levels().get(0);
            LevelResult cold = ContentionRunner.run(burst.toBuilder().processes(16).warmUpRecords(0).build(), config,
                    dir.resolve("sixteen-cold-jvms")).levels().get(0);
            SqliteConfig sharing = config.toBuilder().sharedCommits(true).build();
            LevelResult shared = ContentionRunner.run(burst.toBuilder().processes(16).build(), sharing,
                    dir.resolve("sixteen-jvms-shared")).levels().get(0);
            rows.add(row("1 JVM x 1,024 threads x " + records + " records, warmed up", single, ""));
            rows.add(row("16 JVMs x 64 threads x " + records + " records, warmed up", multi,
                    target(multi.lost() == 0 && multi.drainMs() <= 3 * single.drainMs(),
                            "0 lost, drain within 3x of one JVM (" + ratio(multi, single) + ")")));
            rows.add(row("16 JVMs x 64 threads x " + records + " records, warmed up, shared commits", shared,
                    target(shared.lost() == 0 && shared.drainMs() <= 1.5 * single.drainMs() && shared.p99Ms() <= 150,
                            "0 lost, drain within 1.5x of one JVM (" + ratio(shared, single) + "), p99 at most 150 ms")));
            // What users write instead once they meet "database is locked", on the same burst.
            Scenario locked = burst.toBuilder().writer(WriterKind.LOCKED_CONNECTION).build();
            LevelResult lockedSingle = ContentionRunner.run(locked, config, dir.resolve("one-jvm-locked")).levels().get(0);
            LevelResult lockedMulti = ContentionRunner.run(locked.toBuilder().processes(16).build(), config,
                    dir.resolve("sixteen-jvms-locked")).levels().get(0);
            rows.add(row("1 JVM x 1,024 threads x " + records + " records, warmed up, one connection behind a lock,"
                    + " a transaction per record", lockedSingle, "stated: " + ratio(lockedSingle, single) + " of the recorder's drain"));
            rows.add(row("16 JVMs x 64 threads x " + records + " records, warmed up, the same plus a BEGIN IMMEDIATE"
                    + " retry loop", lockedMulti, "stated: " + ratio(lockedMulti, multi) + " of the recorder's drain"));
            rows.add(row("16 JVMs x 64 threads x " + records + " records, cold JVMs", cold,
                    "stated: " + ratio(cold, single) + " of the warmed-up JVM; 16 JVMs compile the write path during the burst"));
            rows.addAll(shortLivedProcesses(config, sharing, dir, quick ? 64 : 256));
            rows.addAll(openCost(dir));
        } finally {
            Folders.deleteTree(dir);
        }
        return rows;
    }

    /**
     * Many short-lived processes that each open a recorder, record once and close (cold, as such
     * processes are), with and without shared commits, against the same records from threads of one JVM.
     */
    private static List<String> shortLivedProcesses(SqliteConfig config, SqliteConfig sharing, Path dir, int count) {
        Scenario once = Scenario.builder().writerCounts(count).build();
        LevelResult threads = ContentionRunner.run(once, config, dir.resolve("once-threads")).levels().get(0);
        LevelResult alone = ContentionRunner.run(once.toBuilder().processes(count).build(), config,
                dir.resolve("once-jvms")).levels().get(0);
        LevelResult together = ContentionRunner.run(once.toBuilder().processes(count).build(), sharing,
                dir.resolve("once-jvms-shared")).levels().get(0);
        return List.of(
                row(count + " threads of one JVM, 1 record each", threads, ""),
                row(count + " short-lived JVMs, 1 record each", alone, "stated: " + ratio(alone, threads) + " of one JVM"),
                row(count + " short-lived JVMs, 1 record each, shared commits", together,
                        "stated: " + ratio(together, threads) + " of one JVM"));
    }

    private static String ratio(LevelResult level, LevelResult base) {
        return String.format(Locale.ROOT, "%.1fx", level.drainMs() / base.drainMs());
    }

    /** Open plus first record on a warm JVM (median of 30), and heap and threads per open recorder. */
    private static List<String> openCost(Path dir) {
        long[] millis = new long[40];
        for (int i = 0; i < millis.length; i++) {
            long start = System.nanoTime();
            try (MetricsRecorder recorder = MetricsRecorder.open(dir.resolve("open-" + i + ".db"))) {
                recorder.record("first");
            }
            millis[i] = (System.nanoTime() - start) / 1_000;
        }
        long[] warm = Arrays.copyOfRange(millis, 10, millis.length);
        Arrays.sort(warm);
        double medianMs = warm[warm.length / 2] / 1000.0;

        int count = 20;
        System.gc();
        long heapBefore = usedHeap();
        int threadsBefore = Thread.activeCount();
        List<MetricsRecorder> open = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            open.add(MetricsRecorder.open(dir.resolve("memory-" + i + ".db")));
        }
        System.gc();
        long heapPerRecorder = (usedHeap() - heapBefore) / count;
        int threadsPerRecorder = (Thread.activeCount() - threadsBefore) / count;
        open.forEach(MetricsRecorder::close);
        return List.of(
                String.format(Locale.ROOT, "| open + first record, warm JVM (new file each, median of 30) | %.1f ms | | | | %s |",
                        medianMs, target(medianMs < 150, "under 150 ms")),
                String.format(Locale.ROOT, "| memory per open recorder (heap after GC; plus its queue's %d slots) | %d KiB, %d threads | | | | stated |",
                        SqliteConfig.DEFAULT_QUEUE_CAPACITY, heapPerRecorder / 1024, threadsPerRecorder));
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static String row(String what, LevelResult level, String target) {
        return String.format(Locale.ROOT, "| %s | %.0f ms drain | %d / %d lost | %.1f ms | %.0f/s | %s |", what,
                level.drainMs(), level.lost(), level.acknowledged(), level.p99Ms(), level.throughputPerSec(), target);
    }

    private static String target(boolean met, String what) {
        return (met ? "met: " : "NOT met: ") + what;
    }
}
