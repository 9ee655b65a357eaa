package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.testing.Concurrently;
import dev.sqlitemetrics.core.testing.Db;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** 1,000 threads at one barrier, each recording one unique message, default config. */
class ThousandThreadsTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void everyAcknowledgedRecordIsPresentExactlyOnce() throws Exception {
        Path db = dir.resolve("metrics.db");
        List<UUID> ids;
        try (MetricsRecorder recorder = MetricsRecorder.open(db)) {
            ids = Concurrently.run(1_000, 120, index -> recorder.record("writer-" + index));
        }
        Map<String, Integer> present = Db.idCounts(db);
        assertThat(ids).hasSize(1_000).doesNotHaveDuplicates();
        for (int i = 0; i < ids.size(); i++) {
            assertThat(present).containsEntry(ids.get(i).toString(), 1);
        }
        assertThat(present).hasSize(1_000);
        assertThat(Db.query(db, "SELECT count(DISTINCT msg) FROM messages")).isEqualTo("1000");
        assertThat(Db.integrityCheck(db)).isEqualTo("ok");
    }

    @Test
    @Timeout(120)
    void sixteenThreadsOfTwoThousandRecordsEachLoseNothing() throws Exception {
        // Reliability scenario 1 (docs/reliability.md).
        Path db = dir.resolve("sixteen.db");
        List<List<UUID>> ids;
        try (MetricsRecorder recorder = MetricsRecorder.open(db)) {
            ids = Concurrently.run(16, 120, index -> {
                List<UUID> own = new java.util.ArrayList<>(2_000);
                for (int i = 0; i < 2_000; i++) {
                    own.add(recorder.record("thread-" + index + "-" + i));
                }
                return own;
            });
        }
        Map<String, Integer> present = Db.idCounts(db);
        ids.forEach(own -> own.forEach(id -> assertThat(present).containsEntry(id.toString(), 1)));
        assertThat(present).hasSize(32_000);
        assertThat(Db.integrityCheck(db)).isEqualTo("ok");
    }
}
