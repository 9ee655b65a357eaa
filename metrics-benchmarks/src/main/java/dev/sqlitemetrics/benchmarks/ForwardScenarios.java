package dev.sqlitemetrics.benchmarks;

import dev.sqlitemetrics.core.ForwardResult;
import dev.sqlitemetrics.core.ForwarderConfig;
import dev.sqlitemetrics.core.MetricsForwarder;
import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.PostgresConfig;
import dev.sqlitemetrics.core.RecordIds;
import dev.sqlitemetrics.core.SqliteConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The forwarder's drain rate: a backlog of 1,000,000 rows in a local SQLite file shipped to the
 * server while 8 threads go on recording into that file, against a raw JDBC batch insert of as many
 * rows of the same shape into the same server (PreparedStatement batches of 5,000 rows with the
 * driver's {@code reWriteBatchedInserts}, one commit per batch). Returns markdown rows.
 */
final class ForwardScenarios {
    static final int ROWS = 1_000_000;
    static final int BATCH = ForwarderConfig.DEFAULT_BATCH_SIZE;
    static final int RECORDING_THREADS = 8;

    private ForwardScenarios() {
    }

    static List<String> run(BenchServer server, boolean quick) throws Exception {
        int rows = quick ? ROWS / 10 : ROWS;
        List<String> lines = new ArrayList<>();
        double raw = rawBatchInsert(server, rows);
        Path dir = Files.createTempDirectory("sqlite-metrics-forward");
        PostgresConfig central = server.config(BenchServer.freshTable("forwarded"));
        try {
            SqliteConfig local = SqliteConfig.defaults(dir.resolve("outbox.db"));
            ReadSideScenarios.fill(local, rows, Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(1));
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong recorded = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(RECORDING_THREADS);
            ForwardResult result;
            try (MetricsRecorder recorder = MetricsRecorder.open(local);
                 MetricsForwarder forwarder = MetricsForwarder.open(ForwarderConfig.builder(local, central).build())) {
                List<Future<?>> writers = new ArrayList<>();
                for (int t = 0; t < RECORDING_THREADS; t++) {
                    writers.add(pool.submit(() -> {
                        while (!stop.get()) {
                            recorder.record("while forwarding");
                            recorded.incrementAndGet();
                        }
                        return null;
                    }));
                }
                try {
                    result = forwarder.forwardAll();
                } finally {
                    stop.set(true);
                    for (Future<?> writer : writers) {
                        writer.get(60, TimeUnit.SECONDS);
                    }
                }
                // What the recorders added meanwhile goes too: every row of the file is on the server.
                forwarder.forwardAll();
                if (!forwarder.lag().caughtUp()) {
                    throw new IllegalStateException("rows left unshipped: " + forwarder.lag());
                }
            } finally {
                pool.shutdownNow();
            }
            long onServer = count(central);
            long inFile = rows + recorded.get();
            double rate = result.rows() / (result.elapsed().toNanos() / 1e9);
            lines.add(String.format(Locale.ROOT, "| raw JDBC batch insert of %,d rows (batches of %,d, reWriteBatchedInserts, a commit per batch) | %,.0f rows/s | the ceiling |",
                    rows, BATCH, raw));
            lines.add(String.format(Locale.ROOT, "| forwarder: a backlog of %,d local rows shipped in %,d transactions in %.1f s while %d threads recorded %,d more into the file | %,.0f rows/s (%.0f%% of raw) | %s |",
                    result.rows(), result.batches(), result.elapsed().toMillis() / 1000.0, RECORDING_THREADS, recorded.get(),
                    rate, 100 * rate / raw, (rate >= raw / 2 ? "met" : "NOT met") + ": at least 50% of raw"));
            lines.add(String.format(Locale.ROOT, "| server rows after catching up against rows in the file | %,d of %,d | %s |",
                    onServer, inFile, onServer == inFile ? "met: each once" : "NOT met"));
        } finally {
            BenchServer.drop(central);
            Folders.deleteTree(dir);
        }
        return lines;
    }

    /** Rows per second of a plain JDBC batch insert of the recorder's row shape. */
    private static double rawBatchInsert(BenchServer server, int rows) throws Exception {
        PostgresConfig config = server.config(BenchServer.freshTable("rawbatch"));
        BenchServer.create(config);
        java.util.Properties properties = new java.util.Properties();
        if (config.user() != null) {
            properties.setProperty("user", config.user());
        }
        if (config.password() != null) {
            properties.setProperty("password", config.password().reveal());
        }
        // The driver then rewrites each batch into multi-row INSERTs, its fastest way to send one.
        properties.setProperty("reWriteBatchedInserts", "true");
        try (Connection connection = java.sql.DriverManager.getConnection(config.jdbcUrl(), properties)) {
            connection.setAutoCommit(false);
            String sql = "INSERT INTO \"" + config.tableName() + "\" (id, ts, msg, task, outcome, duration_ms, pid, host)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
            long start = System.nanoTime();
            try (PreparedStatement insert = connection.prepareStatement(sql)) {
                long base = Instant.now().minus(Duration.ofDays(1)).toEpochMilli();
                for (int i = 0; i < rows; i++) {
                    insert.setObject(1, RecordIds.next());
                    insert.setTimestamp(2, new Timestamp(base + i));
                    insert.setString(3, "job");
                    insert.setString(4, "task-" + (i % 8));
                    insert.setString(5, i % 20 == 0 ? "FAILED" : "SUCCEEDED");
                    insert.setDouble(6, (i % 1000) + 0.5);
                    insert.setInt(7, 1);
                    insert.setString(8, "bench");
                    insert.addBatch();
                    if ((i + 1) % BATCH == 0 || i == rows - 1) {
                        insert.executeBatch();
                        connection.commit();
                    }
                }
            }
            return rows / ((System.nanoTime() - start) / 1e9);
        } finally {
            BenchServer.drop(config);
        }
    }

    private static long count(PostgresConfig config) throws Exception {
        try (Connection connection = BenchServer.connect(config);
             var rows = connection.createStatement().executeQuery("SELECT count(*) FROM \"" + config.tableName() + "\"")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
