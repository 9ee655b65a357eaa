package dev.sqlitemetrics.cli;

import dev.sqlitemetrics.core.MetricsReader;
import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.SqliteConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 64 {@code sqlite-metrics record} processes at one barrier: the test holds the database's write lock
 * until every process has the file open (seen in {@code /proc}), then lets go, so all of them write at
 * the same moment. Every one exits 0 and its record is present once. A process killed mid-record leaves
 * its record present once or absent, never twice. The processes run through the launcher the build
 * writes beside the jar, with a cache folder of their own: they race to make its class-data archive
 * and to extract SQLite's native library too.
 */
class ConcurrentRecordProcessesIT {
    private static final int PROCESSES = 64;

    @TempDir
    Path dir;

    @Test
    @Timeout(300)
    void sixtyFourRecordProcessesReleasedTogetherEachCommitOnce() throws Exception {
        Path db = dir.resolve("metrics.db");
        MetricsRecorder.open(db).close();
        List<Process> writers = new ArrayList<>();
        List<UUID> ids = new ArrayList<>();
        try (Connection holder = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement statement = holder.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
            for (int i = 0; i < PROCESSES; i++) {
                UUID id = UUID.randomUUID();
                ids.add(id);
                writers.add(record(db, "--task", "burst", "--id", id.toString(), "process " + i));
            }
            awaitOpen(writers, db);
            statement.execute("COMMIT");
        }
        for (Process writer : writers) {
            assertThat(writer.waitFor(240, TimeUnit.SECONDS)).as("record process finished").isTrue();
            String err = new String(writer.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(writer.exitValue()).as(err).isZero();
        }
        try (MetricsReader reader = MetricsReader.open(SqliteConfig.defaults(db));
             MetricsRecorder counter = MetricsRecorder.open(db)) {
            assertThat(counter.count()).isEqualTo(PROCESSES);
            assertThat(ids).allSatisfy(id -> assertThat(reader.contains(id)).isTrue());
        }
    }

    @Test
    @Timeout(300)
    void aRecordProcessKilledMidRecordLeavesItsRecordOnceOrNotAtAll() throws Exception {
        Path db = dir.resolve("metrics.db");
        MetricsRecorder.open(db).close();
        List<UUID> ids = new ArrayList<>();
        // Killed while waiting for the lock, and killed at moments after the lock was let go.
        for (int delay : new int[] {-1, 0, 20, 60, 150}) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            Process writer;
            try (Connection holder = DriverManager.getConnection("jdbc:sqlite:" + db);
                 Statement statement = holder.createStatement()) {
                statement.execute("BEGIN IMMEDIATE");
                writer = record(db, "--task", "killed", "--id", id.toString(), "killed at " + delay);
                awaitOpen(List.of(writer), db);
                if (delay < 0) {
                    writer.destroyForcibly().waitFor();
                }
                statement.execute("COMMIT");
            }
            if (delay >= 0) {
                Thread.sleep(delay);
                writer.destroyForcibly().waitFor();
            }
        }
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement statement = connection.createStatement()) {
            for (UUID id : ids) {
                try (var rows = statement.executeQuery("SELECT count(*) FROM messages WHERE id = '" + id + "'")) {
                    rows.next();
                    assertThat(rows.getInt(1)).as(id.toString()).isBetween(0, 1);
                }
            }
            try (var rows = statement.executeQuery("PRAGMA integrity_check")) {
                rows.next();
                assertThat(rows.getString(1)).isEqualTo("ok");
            }
        }
        // The first was killed before it could write.
        try (MetricsReader reader = MetricsReader.open(SqliteConfig.defaults(db))) {
            assertThat(reader.contains(ids.get(0))).isFalse();
        }
    }

    private Process record(Path db, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Launcher.path().toString(), "record", "--db", db.toString()));
        command.addAll(List.of(args));
        return Launcher.process(command, dir.resolve("cache")).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Waits until every process has the database file open: they are all past their start. */
    private static void awaitOpen(List<Process> writers, Path db) throws Exception {
        Path file = db.toRealPath();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(200);
        while (System.nanoTime() < deadline) {
            long open = writers.stream().filter(writer -> hasOpen(writer.pid(), file)).count();
            if (open == writers.size()) {
                return;
            }
            for (Process writer : writers) {
                assertThat(writer.isAlive() || writer.exitValue() == 0).as("a record process died early").isTrue();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the record processes did not all open " + db + " within 200 s");
    }

    private static boolean hasOpen(long pid, Path file) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(file);
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (IOException e) {
            return false;
        }
    }
}
