package dev.sqlitemetrics.testkit;

import dev.sqlitemetrics.testkit.internal.run.ConfigArgs;
import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.testkit.internal.run.WorkerCommand;
import dev.sqlitemetrics.testkit.internal.run.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reliability scenario 13 (docs/reliability.md): a writer JVM killed with SIGKILL at a range of moments while it creates
 * a new database (native library load, file creation, WAL switch, table creation); the next open
 * completes the schema, and there is exactly one table.
 */
class SchemaCrashIT {
    @TempDir
    Path dir;

    @Test
    @Timeout(300)
    void aWriterKilledDuringSchemaCreationLeavesAFileTheNextOpenCompletes() throws Exception {
        for (int delayMillis = 0; delayMillis <= 300; delayMillis += 20) {
            SqliteConfig config = SqliteConfig.defaults(dir.resolve("crash-" + delayMillis + ".db"));
            List<String> args = new ArrayList<>(List.of("--path", config.path().toString(), "--writer", "RECORDER",
                    "--threads", "1", "--records-per-writer", "5", "--open-after-go"));
            args.addAll(ConfigArgs.of(config));
            CountDownLatch ready = new CountDownLatch(1);
            ChildJvm child = ChildJvm.start(WorkerCommand.class.getName(), args, ready);
            assertThat(ready.await(60, TimeUnit.SECONDS)).as(child.tail()).isTrue();
            child.go();
            Thread.sleep(delayMillis);
            child.kill();

            try (MetricsRecorder recorder = MetricsRecorder.open(config)) {
                recorder.record("after the crash at " + delayMillis + "ms");
            }
            try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + config.path());
                 Statement statement = connection.createStatement()) {
                assertThat(single(statement, "SELECT group_concat(name) FROM sqlite_master WHERE type = 'table'"))
                        .as("tables after a kill at %dms", delayMillis).isEqualTo("messages");
                assertThat(single(statement, "PRAGMA journal_mode")).isEqualTo("wal");
                assertThat(single(statement, "PRAGMA integrity_check")).isEqualTo("ok");
            }
        }
    }

    private static String single(Statement statement, String sql) throws Exception {
        try (ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }
}
