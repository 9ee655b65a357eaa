package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.testing.Commands;
import dev.sqlitemetrics.core.testing.Db;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reliability scenario 14 (docs/reliability.md): the database on a 2 MB tmpfs filled up by another file. Needs root
 * (mount): fails with the reason elsewhere (scripts/test-all runs as root).
 */
class DiskFullIT {
    @TempDir
    Path dir;
    private Path mount;

    @BeforeEach
    void mountSmallTmpfs() throws Exception {
        mount = dir.resolve("small");
        Files.createDirectories(mount);
        boolean mounted = Commands.succeeds("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.toString());
        Assertions.assertTrue(mounted, "cannot mount a 2 MB tmpfs here (needs root with CAP_SYS_ADMIN)");
    }

    @AfterEach
    void unmount() throws Exception {
        Commands.succeeds("umount", "-l", mount.toString());
    }

    @Test
    @Timeout(120)
    void fullDiskIsATypedNotWrittenFailureAndTheSameRecorderWritesAgainOnceSpaceIsFreed() throws Exception {
        Path db = mount.resolve("metrics.db");
        Path filler = mount.resolve("filler");
        List<UUID> acknowledged = new ArrayList<>();
        try (MetricsRecorder recorder = MetricsRecorder.open(db)) {
            acknowledged.add(recorder.record("before filling"));
            fill(filler, 1_700 * 1024);
            StorageFullException full = null;
            String payload = "x".repeat(1024);
            for (int i = 0; i < 10_000 && full == null; i++) {
                try {
                    acknowledged.add(recorder.record(payload + i));
                } catch (StorageFullException e) {
                    full = e;
                }
            }
            assertThat(full).as("the disk filled up").isNotNull();
            assertThat(full.outcome()).isEqualTo(WriteOutcome.NOT_WRITTEN);
            assertThat(full.primaryResultCode()).isEqualTo(13);
            assertThat(full.getMessage()).contains(db.toString(), "not written");

            Files.delete(filler);
            UUID after = recorder.record("after freeing space");
            acknowledged.add(after);
            Map<String, Integer> present = Db.idCounts(db);
            acknowledged.forEach(id -> assertThat(present).containsEntry(id.toString(), 1));
            assertThat(present).doesNotContainKey(full.recordId().toString());
        }
        assertThat(Db.integrityCheck(db)).isEqualTo("ok");
    }

    private static void fill(Path file, int bytes) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int written = 0; written < bytes; written += block.length) {
                out.write(block);
            }
        } catch (IOException full) {
            // The tmpfs is smaller than asked: it is full, which is the point.
        }
    }
}
