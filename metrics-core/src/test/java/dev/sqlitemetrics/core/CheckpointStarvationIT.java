package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.testing.Db;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reliability scenario 9 (docs/reliability.md) and invariant I8: a reader that keeps a snapshot open starves the
 * checkpoints and the -wal file grows; once it stops, the file is back under its bound.
 */
class CheckpointStarvationIT {
    private static final long WAL_BOUND = 64L * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    @Timeout(300)
    void theWalGrowsWhileAReaderHoldsASnapshotAndShrinksBackAfterwards() throws Exception {
        Path db = dir.resolve("starved.db");
        Path wal = Path.of(db + "-wal");
        String payload = "x".repeat(2_000);
        try (MetricsRecorder recorder = MetricsRecorder.open(db)) {
            recorder.record("first");
            try (Connection reader = Db.connect(db); Statement statement = reader.createStatement()) {
                statement.execute("BEGIN");
                try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM messages")) {
                    rows.next();
                }
                // Well past the bound while the snapshot pins the log.
                recordMany(recorder, payload, 45_000);
                assertThat(Files.size(wal)).as("the WAL grew while checkpoints were starved").isGreaterThan(WAL_BOUND);
                statement.execute("COMMIT");
            }
            // Quiet: no reader. Enough writes for an automatic checkpoint to complete and the log to restart.
            recordMany(recorder, payload, 3_000);
            recordMany(recorder, payload, 3_000);
            assertThat(Files.size(wal)).as("the WAL is back under its bound").isLessThanOrEqualTo(WAL_BOUND);
            assertThat(recorder.count()).isEqualTo(1 + 45_000 + 6_000);
        }
        assertThat(Db.integrityCheck(db)).isEqualTo("ok");
    }

    private static void recordMany(MetricsRecorder recorder, String payload, int count) {
        List<CompletableFuture<UUID>> futures = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            futures.add(recorder.recordAsync(payload + i));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
    }
}
