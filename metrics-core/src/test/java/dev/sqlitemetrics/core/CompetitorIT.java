package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.testing.Db;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Reliability scenarios 4, 5 and 8 (docs/reliability.md): other connections that fight for the write lock. */
class CompetitorIT {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void aCompetitorSpinningOnTheWriteLockCausesNoDuplicatesNoSnapshotErrorsAndOnlyTypedFailures() throws Exception {
        Path db = dir.resolve("competitor.db");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong competitorCommits = new AtomicLong();
        SqliteConfig config = SqliteConfig.builder(db).retry(Retry.defaults().withDeadline(Duration.ofSeconds(5))).build();
        try (MetricsRecorder recorder = MetricsRecorder.open(config)) {
            CompletableFuture<Void> competitor = CompletableFuture.runAsync(() -> {
                try (Connection connection = Db.connect(db); Statement statement = connection.createStatement()) {
                    statement.execute("PRAGMA busy_timeout = 0");
                    while (!stop.get()) {
                        try {
                            // A foreign commit between any read and write of the library's.
                            statement.execute("BEGIN IMMEDIATE");
                            statement.execute("COMMIT");
                            competitorCommits.incrementAndGet();
                        } catch (SQLException busy) {
                            // Refused at BEGIN: nothing to roll back; spin again.
                        }
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            List<CompletableFuture<UUID>> calls = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                calls.add(recorder.recordAsync("recorder " + i));
                if (i % 30 == 29) {
                    Thread.sleep(20);
                }
            }
            List<Object> outcomes = new ArrayList<>();
            for (CompletableFuture<UUID> call : calls) {
                try {
                    outcomes.add(call.get(60, TimeUnit.SECONDS));
                } catch (java.util.concurrent.ExecutionException e) {
                    outcomes.add(e.getCause());
                }
            }
            stop.set(true);
            competitor.get(30, TimeUnit.SECONDS);
            assertThat(competitorCommits.get()).as("the competitor did commit").isPositive();
            Map<String, Integer> present = Db.idCounts(db);
            for (Object outcome : outcomes) {
                if (outcome instanceof UUID id) {
                    assertThat(present).containsEntry(id.toString(), 1);
                } else {
                    assertThat(outcome).isInstanceOf(DatabaseBusyException.class);
                    MetricsException failure = (MetricsException) outcome;
                    assertThat(failure.resultCode()).isNotEqualTo(517);
                    assertThat(present).doesNotContainKey(failure.recordId().toString());
                }
            }
            assertThat(present.values()).allMatch(copies -> copies == 1);
        }
    }

    @Test
    @Timeout(60)
    void anExclusiveLockingModeHolderMakesOpeningFailBusyWithinTheDeadline() throws Exception {
        Path db = dir.resolve("exclusive.db");
        Duration deadline = Duration.ofSeconds(2);
        SqliteConfig config = SqliteConfig.builder(db).busyTimeout(Duration.ofMillis(500))
                .retry(Retry.defaults().withDeadline(deadline)).build();
        MetricsRecorder.open(config).close();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> {
            try (Connection connection = Db.connect(db); Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA locking_mode = EXCLUSIVE");
                // The first write takes the exclusive lock; it is kept until the connection closes.
                statement.execute("INSERT INTO messages (msg) VALUES ('exclusive holder')");
                holding.countDown();
                release.await(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        long start = System.nanoTime();
        DatabaseBusyException atOpen = catchThrowableOfType(DatabaseBusyException.class, () -> MetricsRecorder.open(config));
        assertThat(atOpen).as("opening is refused while the holder keeps the file exclusive").isNotNull();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(deadline.plusSeconds(1));
        assertThat(atOpen.getMessage()).contains(db.toString());

        release.countDown();
        holder.get(10, TimeUnit.SECONDS);
        try (MetricsRecorder recorder = MetricsRecorder.open(config)) {
            UUID after = recorder.record("after the holder closed");
            assertThat(Db.idCounts(db)).containsEntry(after.toString(), 1);
        }
    }
}
