package dev.sqlitemetrics.testkit;

import dev.sqlitemetrics.testkit.internal.run.ConfigArgs;
import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.SqliteConfig;
import dev.sqlitemetrics.core.RecorderListener;
import dev.sqlitemetrics.testkit.internal.run.WorkerCommand;
import dev.sqlitemetrics.testkit.internal.run.ProcessWriters;
import dev.sqlitemetrics.testkit.internal.run.TableSnapshot;
import dev.sqlitemetrics.testkit.internal.run.Target;
import dev.sqlitemetrics.testkit.internal.run.ThreadWriters;
import dev.sqlitemetrics.testkit.internal.run.Verifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The core library's multi-process promises (issue 2, checks 2 and 5), with real child JVMs started
 * by the testkit's process harness and released at one barrier.
 */
class MultiProcessIT {
    @TempDir
    Path dir;

    @Test
    @Timeout(300)
    void fourJvmsOfSixtyFourThreadsLoseNothing() {
        ContentionReport report = ContentionRunner.run(
                Scenario.builder().writerCounts(256).recordsPerWriter(4).processes(4).build(),
                SqliteConfig.defaults(dir.resolve("x.db")), dir);
        ContentionAssertions.assertThat(report).lostNothing().failedNothing();
        assertThat(report.levels().get(0).acknowledged()).isEqualTo(1024);
    }

    @Test
    @Timeout(300)
    void fourJvmsOfFourThreadsOfAThousandRecordsLoseNothing() {
        // Reliability scenario 2 (docs/reliability.md).
        ContentionReport report = ContentionRunner.run(
                Scenario.builder().writerCounts(16).recordsPerWriter(1_000).processes(4).build(),
                SqliteConfig.defaults(dir.resolve("x.db")), dir);
        ContentionAssertions.assertThat(report).lostNothing().failedNothing();
        assertThat(report.levels().get(0).acknowledged()).isEqualTo(16_000);
    }

    @Test
    @Timeout(300)
    void aWarmUpWritesToAScratchFileThatIsGoneAfter() throws Exception {
        for (int processes : new int[] {0, 2}) {
            Path work = dir.resolve("warm-" + processes);
            AtomicLong warmUpRecords = new AtomicLong();
            RecorderListener countWarmUp = new RecorderListener() {
                @Override
                public void onBatchCommitted(int records, int attempts, Duration elapsed) {
                    warmUpRecords.addAndGet(records);
                }
            };
            ContentionRunner runner = ContentionRunner.of(
                    Scenario.builder().writerCounts(8).recordsPerWriter(5).processes(processes).warmUpRecords(20).build(),
                    SqliteConfig.defaults(work.resolve("x.db")), work);
            if (processes == 0) {
                // In this JVM the warm-up's commits can be counted; child JVMs open their own recorders.
                runner.withRecorderFactory(config -> config.database().contains("warm-up")
                        ? MetricsRecorder.open((SqliteConfig) config, countWarmUp) : MetricsRecorder.open(config));
            }
            ContentionReport report = runner.run();
            assertThat(warmUpRecords).hasValue(processes == 0 ? 8 * 20 : 0);
            // The verifier refuses rows nobody attempted: a warm-up row in the level's file would fail it.
            ContentionAssertions.assertThat(report).lostNothing().failedNothing();
            assertThat(report.levels().get(0).acknowledged()).isEqualTo(40);
            try (var files = java.nio.file.Files.list(work)) {
                assertThat(files.map(file -> file.getFileName().toString())).noneMatch(name -> name.contains("warm-up"));
            }
        }
    }

    @Test
    @Timeout(300)
    void eightJvmsOpeningAMissingFileAtOnceAllSucceedWithOneSchema() throws Exception {
        Path db = dir.resolve("new.db");
        assertThat(db).doesNotExist();
        SqliteConfig config = SqliteConfig.defaults(db);
        List<String> args = new ArrayList<>(List.of("--path", db.toString(), "--writer", "RECORDER", "--threads", "4",
                "--records-per-writer", "2", "--open-after-go"));
        args.addAll(ConfigArgs.of(config));
        TableSnapshot[] answered = new TableSnapshot[1];
        ThreadWriters.Result result = ProcessWriters.run(WorkerCommand.class.getName(), Collections.nCopies(8, args),
                java.util.Map.of(), dev.sqlitemetrics.testkit.internal.run.ReleaseHooks.NONE, 240,
                () -> answered[0] = TableSnapshot.read(Target.of(config)));

        LevelResult level = Verifier.evaluate(32, result.attempts(), TableSnapshot.empty(), answered[0],
                TableSnapshot.read(Target.of(config)), result.releaseNanos(), Thresholds.NOTHING_LOST);
        assertThat(level.violations()).isEmpty();
        assertThat(level.acknowledged()).isEqualTo(64);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM sqlite_master WHERE type = 'table'")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(1);
            }
            try (ResultSet rows = statement.executeQuery("PRAGMA journal_mode")) {
                rows.next();
                assertThat(rows.getString(1)).isEqualTo("wal");
            }
        }
    }
}
