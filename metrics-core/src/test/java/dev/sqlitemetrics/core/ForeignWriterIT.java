package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.testing.Commands;
import dev.sqlitemetrics.core.testing.Concurrently;
import dev.sqlitemetrics.core.testing.Db;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * While the recorder writes, another process inserts rows with the classic plain
 * {@code INSERT INTO messages (msg) VALUES (?)}; both sides' rows are there. Fails, saying why,
 * where python3 or the sqlite3 shell is missing; {@code scripts/test-all} installs both.
 */
class ForeignWriterIT {
    private static final int FOREIGN_ROWS = 400;
    private static final String PYTHON = """
            import sqlite3, sys
            con = sqlite3.connect(sys.argv[1], timeout=60, isolation_level=None)
            for i in range(int(sys.argv[2])):
                con.execute("INSERT INTO messages (msg) VALUES (?)", ("foreign-%d" % i,))
            print("DONE")
            """;

    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void pythonInsertsAlongsideTheRecorder() throws Exception {
        requireTool("python3", "--version");
        Path db = dir.resolve("metrics.db");
        Path script = dir.resolve("insert.py");
        Files.writeString(script, PYTHON);
        runAlongsideRecorder(db, new ProcessBuilder("python3", script.toString(), db.toString(),
                String.valueOf(FOREIGN_ROWS)));
    }

    @Test
    @Timeout(180)
    void sqliteShellInsertsAlongsideTheRecorder() throws Exception {
        requireTool("sqlite3", "-version");
        Path db = dir.resolve("metrics.db");
        StringBuilder sql = new StringBuilder(".timeout 60000\n");
        for (int i = 0; i < FOREIGN_ROWS; i++) {
            sql.append("INSERT INTO messages (msg) VALUES ('foreign-").append(i).append("');\n");
        }
        sql.append("SELECT 'DONE';\n");
        Path input = dir.resolve("insert.sql");
        Files.writeString(input, sql);
        runAlongsideRecorder(db, new ProcessBuilder("sqlite3", "-bail", db.toString())
                .redirectInput(input.toFile()));
    }

    private static void runAlongsideRecorder(Path db, ProcessBuilder foreign) throws Exception {
        try (MetricsRecorder recorder = MetricsRecorder.open(db)) {
            Process process = foreign.redirectErrorStream(true).start();
            List<List<UUID>> ids = Concurrently.run(8, 120, index -> {
                List<UUID> own = new java.util.ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    own.add(recorder.record("recorder-" + index + "-" + i));
                }
                return own;
            });
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("foreign writer finished").isTrue();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as("foreign writer output: %s", output).isZero();
            assertThat(output).contains("DONE");

            Map<String, Integer> present = Db.idCounts(db);
            ids.forEach(own -> own.forEach(id -> assertThat(present).containsEntry(id.toString(), 1)));
            assertThat(Db.query(db, "SELECT count(*) FROM messages WHERE msg LIKE 'foreign-%' AND id IS NULL"))
                    .isEqualTo(String.valueOf(FOREIGN_ROWS));
            assertThat(recorder.count()).isEqualTo(FOREIGN_ROWS + 8 * 200);
            assertThat(Db.integrityCheck(db)).isEqualTo("ok");
        }
    }

    private static void requireTool(String... command) throws InterruptedException {
        Assertions.assertTrue(Commands.succeeds(command), command[0] + " is not installed: this foreign-writer check"
                + " needs it (scripts/test-all installs it)");
    }
}
