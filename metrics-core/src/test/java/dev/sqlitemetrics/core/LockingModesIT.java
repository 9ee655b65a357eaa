package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.testing.Concurrently;
import dev.sqlitemetrics.core.testing.Db;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Reliability scenarios 6, 7 and 10 (docs/reliability.md). */
class LockingModesIT {
    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void rollbackJournalWithALongReaderRetriesTheCommitAndLeavesNoTransactionOpen() throws Exception {
        Path db = dir.resolve("rollback.db");
        SqliteConfig config = SqliteConfig.builder(db).journalMode(JournalMode.DELETE).build();
        try (MetricsRecorder recorder = MetricsRecorder.open(config)) {
            recorder.record("first");
            CountDownLatch reading = new CountDownLatch(1);
            CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
                try (Connection connection = Db.connect(db); Statement statement = connection.createStatement()) {
                    statement.execute("BEGIN");
                    statement.executeQuery("SELECT count(*) FROM messages").close();
                    reading.countDown();
                    Thread.sleep(1_500);
                    statement.execute("COMMIT");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
            // The reader's SHARED lock blocks each COMMIT's EXCLUSIVE lock until it ends.
            List<UUID> ids = Concurrently.run(8, 30, index -> recorder.record("under a reader " + index));
            reader.get(10, TimeUnit.SECONDS);
            Map<String, Integer> present = Db.idCounts(db);
            ids.forEach(id -> assertThat(present).containsEntry(id.toString(), 1));
            assertWriteLockFree(db);
        }
    }

    @Test
    @Timeout(30)
    void afterARecordAnotherConnectionWritesAtOnce() throws Exception {
        // The sqlite-jdbc IMMEDIATE trap: a pooled connection left inside a transaction would hold the lock.
        Path db = dir.resolve("trap.db");
        try (MetricsRecorder recorder = MetricsRecorder.open(db)) {
            recorder.record("one");
            recorder.count();
            try (Connection connection = Db.connect(db); Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA busy_timeout = 100");
                statement.execute("INSERT INTO messages (msg) VALUES ('raw, within 100 ms')");
            }
            assertThat(recorder.count()).isEqualTo(2);
        }
    }

    @Test
    @Timeout(120)
    void poolExhaustionGivesEveryCallOkOrTypedBusy() throws Exception {
        Path db = dir.resolve("pool.db");
        SqliteConfig config = SqliteConfig.builder(db).poolSize(2)
                .retry(Retry.defaults().withDeadline(Duration.ofMillis(300))).build();
        try (MetricsRecorder recorder = MetricsRecorder.open(config)) {
            List<String> outcomes = Concurrently.run(64, 90, index -> {
                StringBuilder seen = new StringBuilder();
                for (int i = 0; i < 20; i++) {
                    try {
                        if (index % 2 == 0) {
                            recorder.count();
                        } else {
                            recorder.record("pool " + index + " " + i);
                        }
                        seen.append('.');
                    } catch (DatabaseBusyException busy) {
                        seen.append('B');
                    }
                }
                return seen.toString();
            });
            assertThat(outcomes).allMatch(seen -> seen.matches("[.B]{20}"));
            recorder.record("after");
        }
        assertWriteLockFree(db);
    }

    private static void assertWriteLockFree(Path db) throws Exception {
        try (Connection connection = Db.connect(db); Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA busy_timeout = 0");
            statement.execute("BEGIN IMMEDIATE");
            statement.execute("ROLLBACK");
        }
    }
}
