package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.testing.Concurrently;
import dev.sqlitemetrics.core.testing.Db;
import dev.sqlitemetrics.core.testing.FaultyConnection;
import dev.sqlitemetrics.core.internal.write.GroupCommitRecorder;
import dev.sqlitemetrics.core.testing.FaultyConnection.Step;
import dev.sqlitemetrics.core.internal.sqlite.SqliteStore;
import dev.sqlitemetrics.core.internal.write.CallbackExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.nio.file.Files;
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
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Shared commits in one JVM: two recorders on one file share the spool, each other's leader, and
 * records too large for a slot take the usual path beside them. The multi-process proof is the
 * testkit's {@code LeaderKillIT} and its campaigns with {@code --shared-commits true}.
 */
class SharedCommitsTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void everyAcknowledgedRecordIsPresentOnceWhenRecordersShareCommits() throws Exception {
        Path db = dir.resolve("metrics.db");
        SqliteConfig config = SqliteConfig.builder(db).sharedCommits(true).build();
        List<UUID> ids;
        try (MetricsRecorder first = MetricsRecorder.open(config);
             MetricsRecorder second = MetricsRecorder.open(config)) {
            assertThat(db.resolveSibling("metrics.db.spool")).exists();
            ids = Concurrently.run(32, 120, index -> {
                MetricsRecorder recorder = index % 2 == 0 ? first : second;
                // Every eighth writer's record is too large for a spool slot.
                return recorder.record(index % 8 == 0 ? "large-" + index + "-" + "x".repeat(2_000) : "writer-" + index);
            });
        }
        Map<String, Integer> present = Db.idCounts(db);
        assertThat(ids).hasSize(32).doesNotHaveDuplicates();
        ids.forEach(id -> assertThat(present).containsEntry(id.toString(), 1));
        assertThat(present).hasSize(32);
        assertThat(Db.integrityCheck(db)).isEqualTo("ok");
    }

    /**
     * Reliability scenario 44: the leader's COMMIT fails with an I/O error after the rows reached the
     * file (outcome unknown), and the owner's own commit then meets a lock held past its deadline.
     * The row is in the file, so the caller must hear UNKNOWN, never NOT_WRITTEN.
     */
    @Test
    @Timeout(60)
    void aRecordALeaderMayHaveWrittenIsNeverReportedNotWritten() throws Exception {
        Path db = dir.resolve("in-doubt.db");
        Duration deadline = Duration.ofSeconds(1);
        SqliteConfig config = SqliteConfig.builder(db).sharedCommits(true)
                .retry(Retry.defaults().withDeadline(deadline)).build();
        MetricsRecorder.open(config).close();
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> hog = new CompletableFuture<>();
        // Once the shared COMMIT went through, another client takes the write lock for longer than the
        // deadline; then the leader hears SQLITE_IOERR_FSYNC, as when the data reached the file but its sync failed.
        FaultyConnection faults = new FaultyConnection(Step.AFTER_COMMIT, () -> {
            holdWriteLock(db, hog, release);
            hog.join();
            return new SQLiteException("[SQLITE_IOERR_FSYNC] injected: fsync failed after the commit's data was written",
                    SQLiteErrorCode.SQLITE_IOERR_FSYNC);
        });
        try (MetricsRecorder recorder = new GroupCommitRecorder(config, RecorderListener.NONE,
                guarded -> SqliteStore.open(config, guarded, faults::wrap), CallbackExecutor.create("test-callbacks"), "test")) {
            // Through the writer thread, which takes the shared spool (a lone blocking caller would commit directly).
            MetricsException thrown = (MetricsException) catchThrowable(() -> recorder.recordAsync("in doubt").join())
                    .getCause();
            release.countDown();
            assertThat(faults.fired()).isTrue();
            assertThat(thrown).isNotNull();
            assertThat(Db.idCounts(db)).containsEntry(thrown.recordId().toString(), 1);
            assertThat(thrown.outcome()).as(thrown.getMessage()).isEqualTo(WriteOutcome.UNKNOWN);
            assertThat(thrown.getMessage()).contains("may have written");
            UUID next = recorder.record("after the lock is free");
            assertThat(Db.idCounts(db)).containsEntry(next.toString(), 1);
        } finally {
            release.countDown();
        }
    }

    /** A thread that takes the write lock on a connection of its own and keeps it until {@code release}. */
    private static void holdWriteLock(Path db, CompletableFuture<Void> holding, CountDownLatch release) {
        Thread thread = new Thread(() -> {
            try (Connection connection = Db.connect(db); Statement statement = connection.createStatement()) {
                statement.execute("BEGIN IMMEDIATE");
                holding.complete(null);
                release.await(30, TimeUnit.SECONDS);
                statement.execute("ROLLBACK");
            } catch (Exception e) {
                holding.completeExceptionally(e);
            }
        }, "write-lock-holder");
        thread.setDaemon(true);
        thread.start();
    }

    @Test
    void offByDefaultAndNoSpoolIsMade() {
        Path db = dir.resolve("alone.db");
        try (MetricsRecorder recorder = MetricsRecorder.open(db)) {
            recorder.record("one");
        }
        assertThat(SqliteConfig.defaults(db).sharedCommits()).isFalse();
        assertThat(Files.exists(db.resolveSibling("alone.db.spool"))).isFalse();
    }
}
