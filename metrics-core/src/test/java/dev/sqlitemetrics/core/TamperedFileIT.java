package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.testing.Await;
import dev.sqlitemetrics.core.testing.Concurrently;
import dev.sqlitemetrics.core.testing.Db;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reliability scenarios 18, 19 and 21 (docs/reliability.md): the database file deleted, replaced or damaged under the recorder. */
class TamperedFileIT {
    @TempDir
    Path dir;

    /** What each writer thread saw: the start time of every call that succeeded, and the failure that stopped it. */
    private record Outcomes(List<Long> okStarts, RuntimeException failure) {
    }

    private List<Outcomes> recordUntilFailure(MetricsRecorder recorder, AtomicLong tamperedAt, Runnable tamper)
            throws Exception {
        AtomicLong acknowledged = new AtomicLong();
        return Concurrently.run(9, 60, index -> {
            if (index == 8) {
                // Tamper once the writers are well under way.
                Await.until(() -> acknowledged.get() >= 200, java.time.Duration.ofSeconds(30), "200 records acknowledged");
                tamper.run();
                tamperedAt.set(System.nanoTime());
                return new Outcomes(List.of(), null);
            }
            List<Long> okStarts = new ArrayList<>();
            for (int i = 0; i < 100_000; i++) {
                long start = System.nanoTime();
                try {
                    recorder.record("writer-" + index + "-" + i);
                    okStarts.add(start);
                    acknowledged.incrementAndGet();
                } catch (RuntimeException e) {
                    return new Outcomes(okStarts, e);
                }
            }
            return new Outcomes(okStarts, null);
        });
    }

    @Test
    @Timeout(120)
    void deletedDatabaseIsDetectedNeverAcknowledgedIntoAndNeverSilentlyRecreated() throws Exception {
        Path db = dir.resolve("metrics.db");
        AtomicLong deletedAt = new AtomicLong();
        try (MetricsRecorder recorder = MetricsRecorder.open(db)) {
            List<Outcomes> outcomes = recordUntilFailure(recorder, deletedAt, () -> {
                for (String suffix : new String[] {"", "-wal", "-shm"}) {
                    try {
                        Files.deleteIfExists(Path.of(db + suffix));
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            for (Outcomes writer : outcomes.subList(0, 8)) {
                assertThat(writer.failure()).isInstanceOf(ReadOnlyDatabaseException.class)
                        .hasMessageContaining("was deleted since the recorder opened it");
                assertThat(((MetricsException) writer.failure()).resultCode()).isEqualTo(1032);
                assertThat(writer.okStarts()).allMatch(start -> start < deletedAt.get(),
                        "no call that started after the deletion was acknowledged");
            }
            assertThatThrownBy(() -> recorder.record("later")).isInstanceOf(ReadOnlyDatabaseException.class);
        }
        assertThat(db).doesNotExist();
    }

    @Test
    @Timeout(30)
    void countOnADeletedDatabaseIsRefusedPromptlyLikeRecord() throws Exception {
        // With the default 60 s deadline, a count that waited for the pool would outlast the timeout.
        Path db = dir.resolve("metrics.db");
        try (MetricsRecorder recorder = MetricsRecorder.open(db)) {
            recorder.record("before");
            assertThat(recorder.count()).isEqualTo(1);
            Files.delete(db);
            Files.deleteIfExists(dir.resolve("metrics.db-wal"));
            Files.deleteIfExists(dir.resolve("metrics.db-shm"));
            for (int i = 0; i < 3; i++) {
                // An idle pooled connection would still answer 1 from the unlinked file.
                assertThat(org.assertj.core.api.Assertions.catchThrowable(recorder::count))
                        .isInstanceOf(ReadOnlyDatabaseException.class)
                        .hasMessageContaining(db.toString())
                        .hasMessageContaining("was deleted since the recorder opened it");
            }
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> recorder.record("after")))
                    .isInstanceOf(ReadOnlyDatabaseException.class);
        }
    }

    @Test
    @Timeout(120)
    void replacedDatabaseIsDetectedAndTheOtherFileIsLeftUntouched() throws Exception {
        Path db = dir.resolve("metrics.db");
        Path other = dir.resolve("other.db");
        Db.execute(other, "CREATE TABLE other (x INTEGER)");
        Db.execute(other, "INSERT INTO other VALUES (42)");
        Path otherCopy = dir.resolve("other-copy.db");
        Files.copy(other, otherCopy);
        AtomicLong replacedAt = new AtomicLong();
        try (MetricsRecorder recorder = MetricsRecorder.open(db)) {
            List<Outcomes> outcomes = recordUntilFailure(recorder, replacedAt, () -> {
                try {
                    Files.move(other, db, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            for (Outcomes writer : outcomes.subList(0, 8)) {
                assertThat(writer.failure()).isInstanceOf(ReadOnlyDatabaseException.class)
                        .hasMessageContaining("was replaced by another file");
                assertThat(writer.okStarts()).allMatch(start -> start < replacedAt.get());
            }
        }
        assertThat(Db.query(db, "SELECT group_concat(name) FROM sqlite_master")).isEqualTo("other");
        assertThat(Db.query(db, "SELECT x FROM other")).isEqualTo("42");
    }

    @Test
    void damagedHeaderIsRefusedAtOpenAndTheFileIsNeverRepaired() throws Exception {
        Path db = dir.resolve("metrics.db");
        try (MetricsRecorder recorder = MetricsRecorder.open(db)) {
            recorder.record("before the damage");
        }
        byte[] bytes = Files.readAllBytes(db);
        for (int i = 0; i < 16; i++) {
            bytes[i] = (byte) ('X' + i);
        }
        Files.write(db, bytes);
        assertThatThrownBy(() -> MetricsRecorder.open(db)).isInstanceOf(CorruptDatabaseException.class)
                .hasMessageContaining(db.toString());
        assertThat(Files.readAllBytes(db)).isEqualTo(bytes);
    }

    @Test
    void truncatedDatabaseIsRefusedAtOpenAndTheFileIsLeftAsItIs() throws Exception {
        Path db = dir.resolve("metrics.db");
        try (MetricsRecorder recorder = MetricsRecorder.open(db)) {
            List<java.util.concurrent.CompletableFuture<java.util.UUID>> futures = new ArrayList<>();
            for (int i = 0; i < 3_000; i++) {
                futures.add(recorder.recordAsync("x".repeat(200) + i));
            }
            futures.forEach(java.util.concurrent.CompletableFuture::join);
        }
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(db,
                java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(Files.size(db) / 2);
        }
        byte[] before = Files.readAllBytes(db);
        assertThatThrownBy(() -> MetricsRecorder.open(db)).isInstanceOf(CorruptDatabaseException.class)
                .hasMessageContaining(db.toString());
        assertThat(Files.readAllBytes(db)).isEqualTo(before);
    }
}
