package dev.sqlitemetrics.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

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
        RecorderConfig config = RecorderConfig.builder(db).sharedCommits(true).build();
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

    @Test
    void offByDefaultAndNoSpoolIsMade() {
        Path db = dir.resolve("alone.db");
        try (MetricsRecorder recorder = MetricsRecorder.open(db)) {
            recorder.record("one");
        }
        assertThat(RecorderConfig.defaults(db).sharedCommits()).isFalse();
        assertThat(Files.exists(db.resolveSibling("alone.db.spool"))).isFalse();
    }
}
