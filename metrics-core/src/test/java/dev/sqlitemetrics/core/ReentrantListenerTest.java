package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.testing.Db;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Scenario 38: a listener that calls back into its recorder, on the recorder's own writer thread. */
class ReentrantListenerTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void aListenerThatClosesTheRecorderStopsItWithoutWaitingForItself() throws Exception {
        Path db = dir.resolve("close-from-listener.db");
        MetricsRecorder recorder = openClosingItselfOnFirstCommit(db);
        List<CompletableFuture<UUID>> accepted = new ArrayList<>();
        int refused = 0;
        for (int i = 0; i < 2_000; i++) {
            try {
                accepted.add(recorder.recordAsync("r" + i));
            } catch (RecorderClosedException closed) {
                refused++;
            }
        }
        // Every accepted record ends, committed or refused as closed; nothing hangs.
        Map<String, Integer> present;
        int committed = 0;
        for (CompletableFuture<UUID> future : accepted) {
            try {
                future.get(30, TimeUnit.SECONDS);
                committed++;
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(RecorderClosedException.class);
            }
        }
        recorder.close();
        recorder.close();
        present = Db.idCounts(db);
        assertThat(committed).isPositive();
        assertThat(present).hasSize(committed);
        assertThat(present.values()).containsOnly(1);
        assertThat(committed + refused).isLessThanOrEqualTo(2_000);
        WritePathFaultTest.assertWriteLockIsFree(db);
    }

    @Test
    @Timeout(60)
    void closeFromAnotherThreadReturnsWhileAListenerAlsoCloses() throws Exception {
        Path db = dir.resolve("two-closers.db");
        MetricsRecorder recorder = openClosingItselfOnFirstCommit(db);
        CompletableFuture<UUID> first = recorder.recordAsync("first");
        recorder.close();
        assertThat(first.join()).isNotNull();
        assertThat(Db.idCounts(db)).containsEntry(first.join().toString(), 1);
    }

    @Test
    @Timeout(60)
    void aBlockingRecordFromAListenerFailsFastAndAnAsyncOneIsTaken() throws Exception {
        Path db = dir.resolve("record-from-listener.db");
        AtomicReference<MetricsRecorder> self = new AtomicReference<>();
        AtomicReference<Throwable> blocking = new AtomicReference<>();
        AtomicReference<CompletableFuture<UUID>> async = new AtomicReference<>();
        java.util.concurrent.CountDownLatch listened = new java.util.concurrent.CountDownLatch(1);
        RecorderListener recording = new RecorderListener() {
            @Override
            public void onBatchCommitted(int records, int attempts, Duration elapsed) {
                if (blocking.get() == null) {
                    try {
                        self.get().record("from the listener");
                        blocking.set(new AssertionError("record() from the writer thread returned"));
                    } catch (IllegalStateException expected) {
                        blocking.set(expected);
                    }
                    async.set(self.get().recordAsync("async from the listener"));
                    listened.countDown();
                }
            }
        };
        try (MetricsRecorder recorder = MetricsRecorder.open(SqliteConfig.defaults(db), recording)) {
            self.set(recorder);
            recorder.record("outer");
            // The listener hears of a batch just after its callers were released.
            assertThat(listened.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(blocking.get()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("writer thread").hasMessageContaining("recordAsync");
            UUID fromListener = async.get().get(30, TimeUnit.SECONDS);
            assertThat(Db.idCounts(db)).containsEntry(fromListener.toString(), 1);
            recorder.record("still working");
        }
        assertThat(Db.query(db, "SELECT count(*) FROM messages")).isEqualTo("3");
    }

    @Test
    @Timeout(60)
    void aListenerThatThrowsAnErrorDoesNotCloseTheRecorder() throws Exception {
        Path db = dir.resolve("assertion.db");
        RecorderListener failing = new RecorderListener() {
            @Override
            public void onBatchCommitted(int records, int attempts, Duration elapsed) {
                throw new AssertionError("a listener's own assertion");
            }
        };
        try (MetricsRecorder recorder = MetricsRecorder.open(SqliteConfig.defaults(db), failing)) {
            for (int i = 0; i < 100; i++) {
                recorder.record("r" + i);
            }
            List<CompletableFuture<UUID>> futures = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                futures.add(recorder.recordAsync("a" + i));
            }
            futures.forEach(CompletableFuture::join);
        }
        assertThat(Db.query(db, "SELECT count(*) FROM messages")).isEqualTo("200");
    }

    @Test
    @Timeout(60)
    void cancellingTheReturnedFutureDoesNotWithdrawOrFakeTheRecord() throws Exception {
        Path db = dir.resolve("cancel.db");
        AtomicReference<UUID> committed = new AtomicReference<>();
        RecorderListener none = RecorderListener.NONE;
        try (MetricsRecorder recorder = MetricsRecorder.open(SqliteConfig.defaults(db), none);
             java.sql.Connection holder = Db.connect(db);
             java.sql.Statement lock = holder.createStatement()) {
            lock.execute("BEGIN IMMEDIATE");
            CompletableFuture<UUID> cancelled = recorder.recordAsync("cancelled by its caller");
            CompletableFuture<UUID> timedOut = recorder.recordAsync("timed out by its caller").orTimeout(1, TimeUnit.MILLISECONDS);
            CompletableFuture<UUID> faked = recorder.recordAsync("completed by its caller");
            assertThat(cancelled.cancel(true)).isTrue();
            assertThat(faked.complete(new UUID(0, 42))).isTrue();
            assertThat(catchJoin(timedOut)).isInstanceOf(java.util.concurrent.TimeoutException.class);
            lock.execute("ROLLBACK");
            committed.set(recorder.record("after the lock"));
        }
        // The caller settled its own copies; the records themselves were committed as usual.
        assertThat(Db.query(db, "SELECT count(*) FROM messages")).isEqualTo("4");
        assertThat(Db.idCounts(db)).doesNotContainKey(new UUID(0, 42).toString());
    }

    @Test
    @Timeout(60)
    void acknowledgementsDoNotWaitForACommonPoolThatUserTasksFill() throws Exception {
        Path db = dir.resolve("common-pool.db");
        int parallelism = java.util.concurrent.ForkJoinPool.getCommonPoolParallelism();
        java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(parallelism);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(parallelism);
        try (MetricsRecorder recorder = MetricsRecorder.open(db)) {
            // Straight onto the common pool: on JDK 17 runAsync() bypasses it when its parallelism is 1,
            // on recent JDKs it does not; either way these tasks occupy every worker.
            for (int i = 0; i < parallelism; i++) {
                java.util.concurrent.ForkJoinPool.commonPool().execute(() -> {
                    running.countDown();
                    while (!stop.get()) {
                        Thread.onSpinWait();
                    }
                    stopped.countDown();
                });
            }
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
            // Every common-pool worker spins: an acknowledgement handed to that pool would never come.
            UUID id = recorder.recordAsync("acknowledged on the recorder's own threads").get(5, TimeUnit.SECONDS);
            assertThat(Db.idCounts(db)).containsEntry(id.toString(), 1);
        } finally {
            stop.set(true);
            assertThat(stopped.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** A recorder whose listener closes it from the writer thread once a batch committed. */
    private static MetricsRecorder openClosingItselfOnFirstCommit(Path db) {
        AtomicReference<MetricsRecorder> self = new AtomicReference<>();
        RecorderListener closing = new RecorderListener() {
            @Override
            public void onBatchCommitted(int records, int attempts, Duration elapsed) {
                self.get().close();
            }
        };
        MetricsRecorder recorder = MetricsRecorder.open(SqliteConfig.defaults(db), closing);
        self.set(recorder);
        return recorder;
    }

    private static Throwable catchJoin(CompletableFuture<UUID> future) {
        try {
            future.join();
            return null;
        } catch (CompletionException e) {
            return e.getCause();
        }
    }
}
