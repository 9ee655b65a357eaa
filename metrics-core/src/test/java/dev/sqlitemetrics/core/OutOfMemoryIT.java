package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.testing.Db;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 37 with a real {@link OutOfMemoryError}: a JVM with a 150 MiB heap records a 102 MB
 * message, which runs out of memory inside the driver while the writer holds the write lock. The
 * lock must be free at once afterwards, the caller told "not written", and the recorder usable.
 */
class OutOfMemoryIT {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void runningOutOfMemoryMidTransactionFreesTheLockAndTheRecorderGoesOn() throws Exception {
        Path db = dir.resolve("oom.db");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx150m", "-cp", System.getProperty("java.class.path"),
                HugeRecordChild.class.getName(), db.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
             Writer in = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8)) {
            for (String line = out.readLine(); line != null && !line.equals("READY"); line = out.readLine()) {
                lines.add(line);
            }
            // The child is still alive, its recorder open: nobody may hold the write lock now.
            WritePathFaultTest.assertWriteLockIsFree(db);
            in.write("go\n");
            in.flush();
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines.add(line);
            }
        } finally {
            if (!child.waitFor(60, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
        assertThat(child.exitValue()).as("child output %s", lines).isZero();
        assertThat(lines).anyMatch(line -> line.startsWith("BEFORE "));
        String thrown = lines.stream().filter(line -> line.startsWith("THROWN ")).findFirst().orElseThrow(
                () -> new AssertionError("the huge record did not fail: " + lines));
        assertThat(thrown).startsWith("THROWN MetricsException NOT_WRITTEN ");
        assertThat(lines).anyMatch(line -> line.startsWith("AFTER ")).contains("CLOSED");
        assertThat(Db.query(db, "SELECT count(*) FROM messages")).isEqualTo("2");
        assertThat(Db.query(db, "SELECT count(*) FROM messages WHERE id = '" + thrown.split(" ")[3] + "'")).isEqualTo("0");
        assertThat(Db.integrityCheck(db)).isEqualTo("ok");
    }
}
