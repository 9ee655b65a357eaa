package dev.sqlitemetrics.benchmarks;

import dev.sqlitemetrics.core.CompletionFilter;
import dev.sqlitemetrics.core.GroupBy;
import dev.sqlitemetrics.core.MetricsReader;
import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.MetricsRetention;
import dev.sqlitemetrics.core.PruneResult;
import dev.sqlitemetrics.core.SqliteConfig;
import org.HdrHistogram.Histogram;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The read side on SQLite: a summary over a table of 1,000,000 rows (a 24-hour window and the whole
 * table), and a prune of 1,000,000 old rows while 64 threads record, against the same recording
 * without it. Returns markdown rows.
 */
final class ReadSideScenarios {
    static final int ROWS = 1_000_000;
    static final int THREADS = 64;

    private ReadSideScenarios() {
    }

    static List<String> run(boolean quick) throws Exception {
        Path dir = Files.createTempDirectory("sqlite-metrics-read");
        List<String> rows = new ArrayList<>();
        try {
            SqliteConfig config = SqliteConfig.defaults(dir.resolve("read.db"));
            int rows30Days = quick ? ROWS / 10 : ROWS;
            fill(config, rows30Days, Instant.now().minus(Duration.ofDays(30)), Duration.ofDays(30));
            try (MetricsReader reader = MetricsReader.open(config)) {
                double day = medianMillis(5, () -> reader.summarize(CompletionFilter.since(Duration.ofHours(24)),
                        Set.of(GroupBy.TASK, GroupBy.OUTCOME)));
                double all = medianMillis(3, () -> reader.summarize(CompletionFilter.ALL, Set.of(GroupBy.TASK, GroupBy.OUTCOME)));
                rows.add(String.format(Locale.ROOT, "| summary by task and outcome, last 24 hours of %,d rows over 30 days (median of 5) | %.0f ms | %s |",
                        rows30Days, day, (day < 1000 ? "met" : "NOT met") + ": under 1 s"));
                rows.add(String.format(Locale.ROOT, "| summary by task and outcome, the whole table of %,d rows (median of 3) | %.0f ms | stated |",
                        rows30Days, all));
            }
            rows.addAll(pruneBesideRecorders(dir, quick));
        } finally {
            Folders.deleteTree(dir);
        }
        return rows;
    }

    /** {@code count} rows of 8 tasks and 2 outcomes, evenly over {@code span} from {@code start}, inserted in one transaction. */
    static void fill(SqliteConfig config, int count, Instant start, Duration span) throws SQLException {
        MetricsRecorder.open(config).close();
        double stepMs = (double) span.toMillis() / count;
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + config.path());
             Statement statement = connection.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
            // Ids in the recorder's own layout (UUID version 7: the recording millisecond first), so the
            // id index is as ordered as a recorder leaves it.
            statement.execute("WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < " + (count - 1) + "),"
                    + " t(i, ms) AS (SELECT i, " + start.toEpochMilli() + " + CAST(i * " + stepMs + " AS INTEGER) FROM n)"
                    + " INSERT INTO messages (ts, msg, id, task, outcome, duration_ms)"
                    + " SELECT strftime('%Y-%m-%d %H:%M:%f', ms / 1000.0, 'unixepoch'), 'job',"
                    + " printf('%08x-%04x-7%03x-%04x-%012x', ms / 65536, ms % 65536, i % 4096,"
                    + " 32768 + abs(random()) % 16384, abs(random()) % 281474976710656), 'task-' || (i % 8),"
                    + " CASE WHEN i % 20 = 0 THEN 'FAILED' ELSE 'SUCCEEDED' END, (i % 1000) + 0.5 FROM t");
            statement.execute("COMMIT");
        }
    }

    private static List<String> pruneBesideRecorders(Path dir, boolean quick) throws Exception {
        int old = quick ? ROWS / 10 : ROWS;
        SqliteConfig config = SqliteConfig.defaults(dir.resolve("prune.db"));
        fill(config, old, Instant.now().minus(Duration.ofDays(400)), Duration.ofDays(300));
        Histogram without = recordWhile(config, Duration.ofSeconds(quick ? 3 : 6), null);
        PruneResult[] pruned = new PruneResult[1];
        long[] pruneMillis = new long[1];
        Histogram during = recordWhile(config, null, () -> {
            long start = System.nanoTime();
            try (MetricsRetention retention = MetricsRetention.open(config)) {
                pruned[0] = retention.prune(Instant.now().minus(Duration.ofDays(90)), true);
            }
            pruneMillis[0] = (System.nanoTime() - start) / 1_000_000;
        });
        long left;
        long present;
        try (MetricsRetention retention = MetricsRetention.open(config);
             MetricsRecorder counter = MetricsRecorder.open(config)) {
            left = retention.countBefore(Instant.now().minus(Duration.ofDays(90)));
            present = counter.count();
        }
        long lost = without.getTotalCount() + during.getTotalCount() - present;
        double p99Without = without.getValueAtPercentile(99) / 1000.0;
        double p99During = during.getValueAtPercentile(99) / 1000.0;
        double ratio = p99During / p99Without;
        return List.of(
                String.format(Locale.ROOT, "| prune with roll-up of %,d old rows while %d threads record: %,d deleted in %,d transactions"
                                + " (longest %d ms), %,d ms, %d old rows left | %,d records; p99 %.1f ms against %.1f ms without the prune (%.1fx) | %s |",
                        old, THREADS, pruned[0].deleted(), pruned[0].batches(), pruned[0].longestBatch().toMillis(), pruneMillis[0],
                        left, during.getTotalCount(), p99During, p99Without, ratio,
                        (ratio <= 2 && lost == 0 ? "met" : "NOT met") + ": p99 at most 2x, nothing lost (lost " + lost + ")"));
    }

    /** 64 threads call record() until {@code duration} passes or {@code alongside} returns; their latencies in microseconds. */
    private static Histogram recordWhile(SqliteConfig config, Duration duration, ThrowingRunnable alongside) throws Exception {
        Histogram latencies = new Histogram(3);
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
        try (MetricsRecorder recorder = MetricsRecorder.open(config)) {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                writers.add(pool.submit(() -> {
                    go.await();
                    while (!stop.get()) {
                        long start = System.nanoTime();
                        recorder.record("live");
                        long micros = (System.nanoTime() - start) / 1_000;
                        synchronized (latencies) {
                            latencies.recordValue(micros);
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            if (alongside != null) {
                pool.submit(() -> {
                    alongside.run();
                    return null;
                }).get(30, TimeUnit.MINUTES);
            } else {
                Thread.sleep(duration.toMillis());
            }
            stop.set(true);
            for (Future<?> writer : writers) {
                writer.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        return latencies;
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static double medianMillis(int times, Runnable work) {
        double[] millis = new double[times];
        for (int i = 0; i < times; i++) {
            long start = System.nanoTime();
            work.run();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        return millis[times / 2];
    }

}
