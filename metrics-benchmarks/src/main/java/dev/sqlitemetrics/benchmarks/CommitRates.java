package dev.sqlitemetrics.benchmarks;

import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.PostgresConfig;
import dev.sqlitemetrics.core.RecordIds;
import dev.sqlitemetrics.core.SqliteConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a user sees: {@code record()} from N threads for a fixed time against the store's own
 * commit-per-row rate from N clients for the same time, same store, same run, in alternating pairs
 * (raw, recorder, raw, recorder, ...), so that a machine that slows down mid-run moves both. Each
 * side runs on a fresh table; rates are records (rows) committed per second.
 */
final class CommitRates {
    /** One side of a pair: how many records a second. */
    record Pair(double raw, double recorder) {
        double ratio() {
            return raw == 0 ? 0 : recorder / raw;
        }
    }

    private CommitRates() {
    }

    /** Pairs on PostgreSQL: N JDBC clients each committing one row per INSERT, against one recorder's N threads. */
    static List<Pair> postgres(BenchServer server, int threads, int pairs, int seconds) throws Exception {
        List<Pair> measured = new ArrayList<>();
        for (int pair = 0; pair < pairs; pair++) {
            PostgresConfig raw = server.config(BenchServer.freshTable("rate_raw"));
            BenchServer.create(raw);
            double rawRate;
            try {
                rawRate = perSecond(threads, seconds, () -> {
                    Connection connection = BenchServer.connect(raw);
                    PreparedStatement insert = connection.prepareStatement("INSERT INTO \"" + raw.tableName()
                            + "\" (id, ts, msg, pid, host) VALUES (?, now(), ?, 1, 'bench')");
                    return new Writer(() -> {
                        insert.setObject(1, RecordIds.next());
                        insert.setString(2, "job done");
                        insert.executeUpdate();
                    }, connection);
                });
            } finally {
                BenchServer.drop(raw);
            }
            PostgresConfig recorded = server.config(BenchServer.freshTable("rate_recorder"));
            double recorderRate;
            try (MetricsRecorder recorder = MetricsRecorder.open(recorded)) {
                recorderRate = perSecond(threads, seconds, () -> new Writer(() -> recorder.record("job done"), null));
            } finally {
                BenchServer.drop(recorded);
            }
            measured.add(new Pair(rawRate, recorderRate));
        }
        return measured;
    }

    /**
     * Pairs on SQLite (WAL, synchronous=FULL): one connection committing one row per transaction
     * (the store's commit-per-row ceiling: every writer of a file queues for its one write lock),
     * against one recorder's N threads.
     */
    static List<Pair> sqlite(int threads, int pairs, int seconds) throws Exception {
        Path dir = Files.createTempDirectory("sqlite-metrics-rates");
        List<Pair> measured = new ArrayList<>();
        try {
            for (int pair = 0; pair < pairs; pair++) {
                Path rawFile = dir.resolve("raw-" + pair + ".db");
                MetricsRecorder.open(rawFile).close();
                double rawRate = perSecond(1, seconds, () -> {
                    Connection connection = DriverManager.getConnection("jdbc:sqlite:" + rawFile);
                    try (Statement pragmas = connection.createStatement()) {
                        pragmas.execute("PRAGMA synchronous = FULL");
                        pragmas.execute("PRAGMA busy_timeout = 5000");
                    }
                    PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO messages (id, ts, msg) VALUES (?, strftime('%Y-%m-%d %H:%M:%f', 'now'), ?)");
                    return new Writer(() -> {
                        insert.setString(1, RecordIds.next().toString());
                        insert.setString(2, "job done");
                        insert.executeUpdate();
                    }, connection);
                });
                Path recorded = dir.resolve("recorder-" + pair + ".db");
                double recorderRate;
                try (MetricsRecorder recorder = MetricsRecorder.open(SqliteConfig.defaults(recorded))) {
                    recorderRate = perSecond(threads, seconds, () -> new Writer(() -> recorder.record("job done"), null));
                }
                measured.add(new Pair(rawRate, recorderRate));
            }
        } finally {
            Folders.deleteTree(dir);
        }
        return measured;
    }

    /** A markdown row: the figures of every pair, and the range of their ratios. */
    static String row(String what, List<Pair> pairs) {
        StringBuilder raw = new StringBuilder();
        StringBuilder recorder = new StringBuilder();
        double low = Double.MAX_VALUE;
        double high = 0;
        for (Pair pair : pairs) {
            raw.append(raw.isEmpty() ? "" : " / ").append(String.format(Locale.ROOT, "%,.0f", pair.raw()));
            recorder.append(recorder.isEmpty() ? "" : " / ").append(String.format(Locale.ROOT, "%,.0f", pair.recorder()));
            low = Math.min(low, pair.ratio());
            high = Math.max(high, pair.ratio());
        }
        return String.format(Locale.ROOT, "| %s | %s | %s | %.1f-%.1fx |", what, raw, recorder, low, high);
    }

    /** One thread's work: a call made over and over, and what to close afterwards. */
    private record Writer(Call call, AutoCloseable resource) {
    }

    private interface Call {
        void run() throws Exception;
    }

    private interface WriterFactory {
        Writer open() throws Exception;
    }

    /** Runs {@code threads} writers, released together, for {@code seconds}; calls completed per second. */
    private static double perSecond(int threads, int seconds, WriterFactory factory) throws Exception {
        List<Writer> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            writers.add(factory.open());
        }
        LongAdder done = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> running = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (Writer writer : writers) {
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                    while (!stop.get()) {
                        writer.call().run();
                        done.increment();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "rate-writer");
            thread.start();
            running.add(thread);
        }
        long start = System.nanoTime();
        go.countDown();
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        long counted = done.sum();
        double elapsed = (System.nanoTime() - start) / 1e9;
        for (Thread thread : running) {
            thread.join();
        }
        for (Writer writer : writers) {
            if (writer.resource() != null) {
                writer.resource().close();
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a writer failed: " + failures.get(0), failures.get(0));
        }
        return counted / elapsed;
    }

    /**
     * The rows of the results page: SQLite with 1 and 64 threads, and PostgreSQL with 1 and 64 when a
     * server is given; three pairs of 5 s each (one pair of 2 s when quick).
     */
    static List<String> run(BenchServer server, boolean quick) throws Exception {
        int pairs = quick ? 1 : 3;
        int seconds = quick ? 2 : 5;
        List<String> rows = new ArrayList<>();
        for (int threads : new int[] {1, 64}) {
            rows.add(row("SQLite, " + threads + (threads == 1 ? " thread" : " threads") + " (raw: one connection,"
                    + " a transaction per row)", sqlite(threads, pairs, seconds)));
        }
        if (server != null) {
            for (int threads : new int[] {1, 64}) {
                rows.add(row("PostgreSQL, " + threads + (threads == 1 ? " thread" : " threads") + " (raw: " + threads
                        + (threads == 1 ? " client" : " clients") + ", an autocommit INSERT per row)",
                        postgres(server, threads, pairs, seconds)));
            }
        }
        rows.forEach(System.out::println);
        return rows;
    }
}
