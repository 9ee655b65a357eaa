package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.testing.Await;
import dev.sqlitemetrics.core.testing.Concurrently;
import dev.sqlitemetrics.core.testing.Db;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Reliability scenario 3 (docs/reliability.md): another connection holds the write lock. */
class LockHolderIT {
    private static final Duration BUDGET = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private SqliteConfig config(Path db) {
        return SqliteConfig.builder(db).retry(Retry.defaults().withDeadline(BUDGET)).build();
    }

    @Test
    @Timeout(60)
    void recordsWaitOutALockHeldForLessThanTheBudget() throws Exception {
        Path db = dir.resolve("metrics.db");
        try (MetricsRecorder recorder = MetricsRecorder.open(config(db))) {
            CountDownLatch locked = new CountDownLatch(1);
            CompletableFuture<Void> holder = holdLock(db, Duration.ofSeconds(2), locked);
            assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
            List<UUID> ids = Concurrently.run(20, 30, index -> recorder.record("waits-" + index));
            holder.get(10, TimeUnit.SECONDS);
            var present = Db.idCounts(db);
            ids.forEach(id -> assertThat(present).containsEntry(id.toString(), 1));
        }
    }

    @Test
    @Timeout(60)
    void aLockHeldPastTheBudgetFailsNotWrittenWithinTheBudgetPlusOneSecond() throws Exception {
        Path db = dir.resolve("metrics.db");
        try (MetricsRecorder recorder = MetricsRecorder.open(config(db))) {
            CountDownLatch locked = new CountDownLatch(1);
            CompletableFuture<Void> holder = holdLock(db, BUDGET.plusSeconds(3), locked);
            assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
            long start = System.nanoTime();
            DatabaseBusyException busy = catchThrowableOfType(DatabaseBusyException.class, () -> recorder.record("blocked"));
            Duration waited = Duration.ofNanos(System.nanoTime() - start);

            assertThat(busy).isNotNull();
            assertThat(waited).isLessThan(BUDGET.plusSeconds(1));
            assertThat(busy.outcome()).isEqualTo(WriteOutcome.NOT_WRITTEN);
            assertThat(busy.primaryResultCode()).isEqualTo(5);
            assertThat(busy.path()).isEqualTo(db);
            assertThat(busy.attempts()).isGreaterThanOrEqualTo(1);
            assertThat(busy.getMessage()).contains(db.toString(), "not written", "retry.deadline=5000ms",
                    "busyTimeout=5000ms", busy.recordId().toString());
            assertThat(Db.idCounts(db)).doesNotContainKey(busy.recordId().toString());

            holder.get(20, TimeUnit.SECONDS);
            UUID after = recorder.record("after release");
            assertThat(Db.idCounts(db)).containsEntry(after.toString(), 1);
        }
    }

    @Test
    @Timeout(60)
    void opensAnExistingDatabaseWithoutWaitingForAnotherWritersLock() throws Exception {
        Path db = dir.resolve("metrics.db");
        MetricsRecorder.open(db).close();
        CountDownLatch locked = new CountDownLatch(1);
        CompletableFuture<Void> holder = holdLock(db, Duration.ofSeconds(8), locked);
        assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
        try (MetricsRecorder recorder = MetricsRecorder.open(config(db))) {
            // Opening only reads when the file is already set up: it must not queue behind the holder.
            assertThat(holder).isNotDone();
            assertThat(recorder.count()).isZero();
        }
        holder.get(20, TimeUnit.SECONDS);
    }

    @Test
    @Timeout(60)
    void openingANewDatabaseUnderAHeldLockFailsBusyWithinTheBudget() throws Exception {
        Path db = dir.resolve("new.db");
        Duration budget = Duration.ofSeconds(2);
        SqliteConfig config = SqliteConfig.builder(db).busyTimeout(Duration.ofMillis(500))
                .retry(Retry.defaults().withDeadline(budget)).build();
        CountDownLatch locked = new CountDownLatch(1);
        CompletableFuture<Void> holder = holdLock(db, Duration.ofSeconds(5), locked);
        assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
        DatabaseBusyException busy = catchThrowableOfType(DatabaseBusyException.class, () -> MetricsRecorder.open(config));
        assertThat(busy).isNotNull();
        assertThat(busy.attempts()).isGreaterThan(1);
        assertThat(busy.elapsed()).isLessThan(budget.plusSeconds(1));
        assertThat(busy.recordId()).isNull();
        assertThat(busy.getMessage()).contains(db.toString(), "attempts in");
        holder.get(20, TimeUnit.SECONDS);
        try (MetricsRecorder recorder = MetricsRecorder.open(config)) {
            recorder.record("after release");
        }
    }

    @Test
    @Timeout(60)
    void recordsQueuedWhileTheWriterWaitsForTheLockJoinItsTransaction() throws Exception {
        Path db = dir.resolve("metrics.db");
        BatchSizes batches = new BatchSizes();
        try (MetricsRecorder recorder = MetricsRecorder.open(config(db), batches)) {
            CountDownLatch locked = new CountDownLatch(1);
            CompletableFuture<Void> holder = holdLock(db, Duration.ofSeconds(1), locked);
            assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
            List<CompletableFuture<UUID>> futures = new ArrayList<>();
            futures.add(recorder.recordAsync("taken first, then waits for the lock"));
            // The writer has taken it and waits for the lock: what comes next queues behind it.
            Await.until(() -> recorder.stats().inFlight() == 1, Duration.ofSeconds(10), "the writer to take the first record");
            for (int i = 0; i < 50; i++) {
                futures.add(recorder.recordAsync("queued during the wait " + i));
            }
            holder.get(10, TimeUnit.SECONDS);
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
            var present = Db.idCounts(db);
            for (CompletableFuture<UUID> future : futures) {
                assertThat(present).containsEntry(future.get().toString(), 1);
            }
        }
        // After close: the listener hears of a batch just after its callers are released.
        assertThat(batches.sizes()).as("one transaction for the record that waited and those queued meanwhile")
                .containsExactly(51);
    }

    /** Holds {@code BEGIN IMMEDIATE} on a raw connection for {@code hold}, then rolls back. */
    private static CompletableFuture<Void> holdLock(Path db, Duration hold, CountDownLatch locked) {
        return CompletableFuture.runAsync(() -> {
            try (Connection connection = Db.connect(db); Statement statement = connection.createStatement()) {
                statement.execute("BEGIN IMMEDIATE");
                locked.countDown();
                Thread.sleep(hold.toMillis());
                statement.execute("ROLLBACK");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, runnable -> new Thread(runnable, "lock-holder").start());
    }
}
