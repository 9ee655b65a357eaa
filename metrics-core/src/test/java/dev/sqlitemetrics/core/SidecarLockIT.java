package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.testing.Commands;
import dev.sqlitemetrics.core.testing.Db;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The writers' sidecar lock file ({@code <db>.lock}): another process holding it makes the recorder
 * wait (in the kernel), and past the retry deadline fail busy, not written. The other process is
 * Python holding a POSIX lock, as another recorder process would.
 */
class SidecarLockIT {
    private static final String HOLD = """
            import fcntl, sys, time
            f = open(sys.argv[1], "a")
            fcntl.lockf(f, fcntl.LOCK_EX)
            print("LOCKED", flush=True)
            time.sleep(float(sys.argv[2]))
            """;

    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void waitsForAnotherProcessHoldingTheLockFile() throws Exception {
        Path db = dir.resolve("metrics.db");
        SqliteConfig config = SqliteConfig.builder(db).retry(Retry.defaults().withDeadline(Duration.ofSeconds(10))).build();
        try (MetricsRecorder recorder = MetricsRecorder.open(config)) {
            Process holder = holdLockFile(db, 1.5);
            long start = System.nanoTime();
            UUID id = recorder.record("after the other process");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(500));
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(Db.idCounts(db)).containsEntry(id.toString(), 1);
        }
    }

    @Test
    @Timeout(60)
    void failsBusyAndNotWrittenWhenTheLockFileIsHeldPastTheDeadline() throws Exception {
        Path db = dir.resolve("metrics.db");
        Duration deadline = Duration.ofSeconds(2);
        SqliteConfig config = SqliteConfig.builder(db).busyTimeout(Duration.ofMillis(500))
                .retry(Retry.defaults().withDeadline(deadline)).build();
        try (MetricsRecorder recorder = MetricsRecorder.open(config)) {
            Process holder = holdLockFile(db, 5);
            DatabaseBusyException busy = catchThrowableOfType(DatabaseBusyException.class, () -> recorder.record("blocked"));
            assertThat(busy).isNotNull();
            assertThat(busy.outcome()).isEqualTo(WriteOutcome.NOT_WRITTEN);
            assertThat(busy.elapsed()).isLessThan(deadline.plusSeconds(1));
            assertThat(busy.getMessage()).contains("held its lock file");
            assertThat(Db.idCounts(db)).doesNotContainKey(busy.recordId().toString());
            holder.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            UUID after = recorder.record("after release");
            assertThat(Db.idCounts(db)).containsEntry(after.toString(), 1);
        }
    }

    private Process holdLockFile(Path db, double seconds) throws Exception {
        requirePython();
        Path script = dir.resolve("hold.py");
        Files.writeString(script, HOLD);
        Process process = new ProcessBuilder("python3", script.toString(), db + ".lock", String.valueOf(seconds))
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("LOCKED");
        return process;
    }

    private static void requirePython() throws InterruptedException {
        Assertions.assertTrue(Commands.succeeds("python3", "--version"), "python3 is not installed: this check needs"
                + " another process holding a POSIX lock (scripts/test-all installs it)");
    }
}
