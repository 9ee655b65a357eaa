package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.testing.Await;
import dev.sqlitemetrics.core.testing.Concurrently;
import dev.sqlitemetrics.core.testing.Db;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reliability scenarios 31-34 (docs/reliability.md). */
class LifecycleTest {
    /** Daemon threads every recorder of the JVM shares, made once: the lock file's alarm and the deadline watchdog. */
    private static final java.util.Set<String> JVM_WIDE = java.util.Set.of("sqlite-metrics-sidecar-alarm",
            "sqlite-metrics-deadlines");
    @TempDir
    Path dir;

    @Test
    void recordAfterCloseIsARecorderClosedExceptionAndWritesNothing() throws Exception {
        Path db = dir.resolve("metrics.db");
        MetricsRecorder recorder = MetricsRecorder.open(db);
        recorder.close();
        assertThatThrownBy(() -> recorder.record("late")).isInstanceOf(RecorderClosedException.class)
                .isInstanceOf(MetricsException.class).hasFieldOrPropertyWithValue("outcome", WriteOutcome.NOT_WRITTEN)
                .hasMessage("recorder for " + db + " is closed; the record is not written");
        assertThatThrownBy(() -> recorder.recordAsync("late")).isInstanceOf(RecorderClosedException.class);
        assertThat(Db.query(db, "SELECT count(*) FROM messages")).isEqualTo("0");
    }

    @Test
    @Timeout(60)
    void closeWhileSixteenThreadsRecordLeavesEachCallCommittedOrClosed() throws Exception {
        Path db = dir.resolve("metrics.db");
        MetricsRecorder recorder = MetricsRecorder.open(db);
        int threads = 16;
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        List<List<UUID>> committed = Concurrently.run(threads + 1, 60, index -> {
            List<UUID> ids = new ArrayList<>();
            if (index == threads) {
                // Close while every thread is recording.
                Await.until(() -> recorder.stats().committed() >= 200, java.time.Duration.ofSeconds(30), "200 records committed");
                recorder.close();
                return ids;
            }
            while (true) {
                try {
                    ids.add(recorder.record("t" + index));
                } catch (RecorderClosedException closed) {
                    return ids;
                } catch (RuntimeException e) {
                    unexpected.compareAndSet(null, e);
                    return ids;
                }
            }
        });
        assertThat(unexpected.get()).isNull();
        Map<String, Integer> present = Db.idCounts(db);
        long acknowledged = committed.stream().mapToLong(List::size).sum();
        assertThat(acknowledged).isPositive();
        committed.forEach(ids -> ids.forEach(id -> assertThat(present).containsEntry(id.toString(), 1)));
        // Every row is one some caller was told was committed: nothing written behind a "closed".
        assertThat((long) present.size()).isEqualTo(acknowledged);
        assertThat(Db.integrityCheck(db)).isEqualTo("ok");
    }

    @Test
    void closeDrainsRecordsAcceptedBeforeIt() throws Exception {
        Path db = dir.resolve("metrics.db");
        List<CompletableFuture<UUID>> futures = new ArrayList<>();
        MetricsRecorder recorder = MetricsRecorder.open(db);
        for (int i = 0; i < 5_000; i++) {
            futures.add(recorder.recordAsync("r" + i));
        }
        recorder.close();
        Map<String, Integer> present = Db.idCounts(db);
        for (CompletableFuture<UUID> future : futures) {
            assertThat(present).containsEntry(future.join().toString(), 1);
        }
    }

    @Test
    @Timeout(30)
    void closeTwiceOrFromTwoThreadsThrowsNothing() throws Exception {
        MetricsRecorder recorder = MetricsRecorder.open(dir.resolve("metrics.db"));
        recorder.record("x");
        Concurrently.run(2, 30, index -> {
            recorder.close();
            return null;
        });
        recorder.close();
    }

    @Test
    @Timeout(60)
    void callerInterruptedBeforeRecordingKeepsItsFlagAndWritesNothing() throws Exception {
        Path db = dir.resolve("metrics.db");
        try (MetricsRecorder recorder = MetricsRecorder.open(db)) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicReference<Boolean> flagKept = new AtomicReference<>();
            Thread caller = new Thread(() -> {
                Thread.currentThread().interrupt();
                try {
                    recorder.record("interrupted");
                } catch (MetricsException e) {
                    thrown.set(e);
                }
                flagKept.set(Thread.currentThread().isInterrupted());
            });
            caller.start();
            caller.join(30_000);
            assertThat(flagKept.get()).isTrue();
            MetricsException failure = (MetricsException) thrown.get();
            assertThat(failure.outcome()).isEqualTo(WriteOutcome.NOT_WRITTEN);
            assertThat(failure.getCause()).isInstanceOf(InterruptedException.class);
            assertThat(recorder.count()).isZero();
        }
    }

    @Test
    @Timeout(60)
    void callerInterruptedWhileWaitingGetsAnOutcomeConsistentWithTheTable() throws Exception {
        Path db = dir.resolve("metrics.db");
        try (MetricsRecorder recorder = MetricsRecorder.open(db);
             java.sql.Connection holder = Db.connect(db);
             java.sql.Statement lock = holder.createStatement()) {
            List<MetricsException> failures = new ArrayList<>();
            for (int round = 0; round < 4; round++) {
                // Hold the write lock so the caller is certainly waiting when the interrupt comes.
                lock.execute("BEGIN IMMEDIATE");
                AtomicReference<Object> result = new AtomicReference<>();
                AtomicReference<Boolean> flagKept = new AtomicReference<>();
                Thread caller = new Thread(() -> {
                    try {
                        result.set(recorder.record("waiting-" + Thread.currentThread().getId()));
                    } catch (MetricsException e) {
                        result.set(e);
                    }
                    flagKept.set(Thread.currentThread().isInterrupted());
                });
                caller.start();
                Thread.sleep(100 + round * 50L);
                caller.interrupt();
                caller.join(30_000);
                lock.execute("ROLLBACK");
                assertThat(flagKept.get()).isTrue();
                failures.add((MetricsException) result.get());
            }
            recorder.record("after the interrupts");
            for (MetricsException failure : failures) {
                assertThat(failure.getCause()).isInstanceOf(InterruptedException.class);
                int copies = Db.idCounts(db).getOrDefault(failure.recordId().toString(), 0);
                if (failure.isDefinitelyNotWritten()) {
                    assertThat(copies).isZero();
                } else {
                    assertThat(copies).isLessThanOrEqualTo(1);
                }
            }
            // No connection was left inside a transaction: another writer gets the lock at once.
            lock.execute("PRAGMA busy_timeout = 0");
            lock.execute("BEGIN IMMEDIATE");
            lock.execute("ROLLBACK");
        }
    }

    @Test
    @Timeout(60)
    void closeLeavesNoThreadOfTheRecorderBehind() throws Exception {
        // I10. The sidecar lock's alarm thread is one per JVM, shared by every recorder, and stays.
        for (int i = 0; i < 5; i++) {
            try (MetricsRecorder recorder = MetricsRecorder.open(dir.resolve("threads-" + i + ".db"))) {
                recorder.record("one");
                recorder.recordAsync("two").join();
                assertThat(recorderThreads()).isNotEmpty();
            }
        }
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (!recorderThreads().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(recorderThreads()).isEmpty();
    }

    @Test
    @Timeout(60)
    void aFailedOpenLeavesNoThreadOrConnectionBehind() throws Exception {
        Path notADatabase = dir.resolve("text.db");
        java.nio.file.Files.writeString(notADatabase, "not a database, just text ".repeat(100));
        Path otherShape = dir.resolve("other-shape.db");
        Db.execute(otherShape, "CREATE TABLE messages (ts TEXT, msg TEXT, owner TEXT NOT NULL)");
        Path locked = dir.resolve("locked.db");
        MetricsRecorder.open(locked).close();
        SqliteConfig busy = SqliteConfig.builder(locked).journalMode(JournalMode.DELETE)
                .retry(Retry.defaults().withDeadline(java.time.Duration.ofMillis(300)))
                .busyTimeout(java.time.Duration.ofMillis(100)).build();
        try (java.sql.Connection holder = Db.connect(locked); java.sql.Statement statement = holder.createStatement()) {
            statement.execute("PRAGMA journal_mode = DELETE");
            statement.execute("BEGIN EXCLUSIVE");
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> MetricsRecorder.open(notADatabase)).isInstanceOf(CorruptDatabaseException.class);
                assertThatThrownBy(() -> MetricsRecorder.open(otherShape)).isInstanceOf(SchemaMismatchException.class);
                assertThatThrownBy(() -> MetricsRecorder.open(busy)).isInstanceOf(DatabaseBusyException.class);
            }
            statement.execute("ROLLBACK");
        }
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (!recorderThreads().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(recorderThreads()).isEmpty();
        // Nothing of ours holds the files: another connection takes each write lock at once.
        WritePathFaultTest.assertWriteLockIsFree(otherShape);
        WritePathFaultTest.assertWriteLockIsFree(locked);
    }

    private static List<String> recorderThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("sqlite-metrics-") && !JVM_WIDE.contains(name))
                .toList();
    }
}
