package dev.sqlitemetrics.testkit.internal.powercut;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The power-cut file system itself: what a cut drops and what it keeps, byte for byte, and many
 * SQLite processes sharing a WAL database (its memory-mapped {@code -shm}) through the mount.
 */
class PowerCutFileSystemIT {
    @TempDir
    Path dir;

    @BeforeAll
    static void fuseIsAvailable() {
        assertTrue(PowerCutMount.unavailable().isEmpty(), () -> PowerCutMount.unavailable().get()
                + " (scripts/test-all installs libfuse2 and fuse)");
    }

    @Test
    @Timeout(120)
    void aCutDropsWhatWasNotSyncedAndKeepsWhatWasByteForByte() throws IOException {
        Random random = new Random(11);
        byte[] expected;
        try (PowerCutMount mount = PowerCutMount.mount(dir.resolve("disk"), dir.resolve("mnt"))) {
            Path file = mount.path().resolve("data.bin");
            try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
                // Unaligned writes over page boundaries, some overwriting others, a truncation, then a sync.
                for (int i = 0; i < 200; i++) {
                    byte[] chunk = new byte[1 + random.nextInt(10_000)];
                    random.nextBytes(chunk);
                    out.seek(random.nextInt(300_000));
                    out.write(chunk);
                }
                out.setLength(250_001);
                out.getFD().sync();
                expected = Files.readAllBytes(file);
                // Then more: overwrites, growth, a truncation below the synced size; never synced.
                for (int i = 0; i < 50; i++) {
                    byte[] chunk = new byte[1 + random.nextInt(10_000)];
                    random.nextBytes(chunk);
                    out.seek(random.nextInt(400_000));
                    out.write(chunk);
                }
                out.setLength(100_000);
                out.seek(500_000);
                out.write(1);
            }
            assertThat(Files.size(file)).isEqualTo(500_001);
            assertThat(mount.unsyncedFiles()).containsExactly("/data.bin");
            mount.cutPower();
        }
        assertThat(expected).hasSize(250_001);
        try (PowerCutMount again = PowerCutMount.mount(dir.resolve("disk"), dir.resolve("mnt"))) {
            assertThat(Files.readAllBytes(again.path().resolve("data.bin"))).isEqualTo(expected);
        }
    }

    @Test
    @Timeout(120)
    void aSyncOfOneFilePersistsThatFileOnly() throws IOException {
        try (PowerCutMount mount = PowerCutMount.mount(dir.resolve("disk"), dir.resolve("mnt"))) {
            Path synced = mount.path().resolve("synced.txt");
            Path other = mount.path().resolve("other.txt");
            Files.writeString(other, "written, never synced");
            try (RandomAccessFile out = new RandomAccessFile(synced.toFile(), "rw")) {
                out.write("kept".getBytes(StandardCharsets.UTF_8));
                out.getFD().sync();
            }
            assertThat(Files.readString(other)).isEqualTo("written, never synced");
            mount.cutPower();
        }
        try (PowerCutMount again = PowerCutMount.mount(dir.resolve("disk"), dir.resolve("mnt"))) {
            assertThat(Files.readString(again.path().resolve("synced.txt"))).isEqualTo("kept");
            // The name survives (namespace operations are immediate), its data does not.
            assertThat(Files.readString(again.path().resolve("other.txt"))).isEmpty();
        }
    }

    @Test
    @Timeout(300)
    void manySqliteProcessesShareAWalDatabaseThroughTheMount() throws Exception {
        assertTrue(new ProcessBuilder("sqlite3", "-version").start().waitFor() == 0,
                "the sqlite3 shell is not installed (scripts/test-all installs it)");
        int processes = 6;
        int rows = 150;
        try (PowerCutMount mount = PowerCutMount.mount(dir.resolve("disk"), dir.resolve("mnt"))) {
            Path database = mount.path().resolve("shared.db");
            assertThat(sqlite(database, "PRAGMA journal_mode=WAL; CREATE TABLE t (process INTEGER, n INTEGER);"))
                    .contains("wal");
            // Every process starts and waits on its input; the SQL goes to all of them at once.
            List<Process> writers = new ArrayList<>();
            for (int p = 0; p < processes; p++) {
                writers.add(new ProcessBuilder("sqlite3", database.toString()).redirectErrorStream(true).start());
            }
            for (int p = 0; p < processes; p++) {
                StringBuilder sql = new StringBuilder(".timeout 60000\nPRAGMA synchronous=FULL;\n");
                for (int n = 0; n < rows; n++) {
                    sql.append("INSERT INTO t VALUES (").append(p).append(", ").append(n).append(");\n");
                }
                try (OutputStream in = writers.get(p).getOutputStream()) {
                    in.write(sql.toString().getBytes(StandardCharsets.UTF_8));
                }
            }
            for (Process writer : writers) {
                assertThat(writer.waitFor(240, TimeUnit.SECONDS)).as("sqlite3 finished").isTrue();
                String output = new String(writer.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(writer.exitValue()).as(output).isZero();
                assertThat(output).doesNotContain("Error");
            }
            assertThat(sqlite(database, "SELECT count(*), count(DISTINCT process * 1000 + n) FROM t; PRAGMA integrity_check;"))
                    .isEqualTo((processes * rows) + "|" + (processes * rows) + "\nok");
        }
        // Every commit was synced (FULL): all of it is on the disk after the mount is gone.
        try (PowerCutMount again = PowerCutMount.mount(dir.resolve("disk"), dir.resolve("mnt"))) {
            assertThat(sqlite(again.path().resolve("shared.db"), "SELECT count(*) FROM t;"))
                    .isEqualTo(String.valueOf(processes * rows));
        }
    }

    private static String sqlite(Path database, String sql) throws IOException, InterruptedException {
        Process shell = new ProcessBuilder("sqlite3", database.toString(), sql).redirectErrorStream(true).start();
        String output = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(shell.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(shell.exitValue()).as(output).isZero();
        return output;
    }

}
