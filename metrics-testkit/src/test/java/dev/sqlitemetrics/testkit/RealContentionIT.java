package dev.sqlitemetrics.testkit;

import dev.sqlitemetrics.core.JournalMode;
import dev.sqlitemetrics.core.SqliteConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Real contention runs: the recorder in threads and in child JVMs loses nothing; the naive writer fails and it is counted. */
class RealContentionIT {
    @TempDir
    Path dir;

    @Test
    @Timeout(300)
    void recorderInThreadsLosesNothing() {
        ContentionReport report = ContentionRunner.run(
                Scenario.builder().writerCounts(10, 300).recordsPerWriter(3).prefillRows(1_000).build(),
                SqliteConfig.defaults(dir.resolve("x.db")), dir);
        ContentionAssertions.assertThat(report).lostNothing().failedNothing().passed();
        assertThat(report.levels()).extracting(LevelResult::acknowledged).containsExactly(30L, 900L);
        assertThat(report.integrityOk()).isTrue();
    }

    @Test
    @Timeout(300)
    void recorderInChildJvmsLosesNothing() {
        ContentionReport report = ContentionRunner.run(
                Scenario.builder().writerCounts(96).recordsPerWriter(5).processes(3).build(),
                SqliteConfig.defaults(dir.resolve("x.db")), dir);
        ContentionAssertions.assertThat(report).lostNothing().failedNothing();
        assertThat(report.levels().get(0).acknowledged()).isEqualTo(480);
    }

    @Test
    @Timeout(300)
    void recorderWaitsOutALockHog() {
        ContentionReport report = ContentionRunner.run(
                Scenario.builder().writerCounts(50).lockHog(new LockHog(Duration.ZERO, Duration.ofMillis(1500))).build(),
                SqliteConfig.defaults(dir.resolve("x.db")), dir);
        ContentionAssertions.assertThat(report).lostNothing().failedNothing();
        assertThat(report.levels().get(0).p50Ms()).isGreaterThan(500);
    }

    @Test
    @Timeout(300)
    void naiveWriterWithAShortBusyTimeoutFailsAndTheFailuresAreCounted() {
        SqliteConfig rollback = SqliteConfig.builder(dir.resolve("x.db")).journalMode(JournalMode.DELETE).build();
        ContentionReport report = ContentionRunner.run(
                Scenario.builder().writer(WriterKind.NAIVE).writerCounts(200).naiveBusyTimeout(Duration.ZERO).build(),
                rollback, dir);
        LevelResult level = report.levels().get(0);
        assertThat(level.failed()).isPositive();
        assertThat(level.failed() + level.acknowledged()).isEqualTo(200);
        assertThat(level.failuresByCode().keySet()).allMatch(code -> code.startsWith("NOT_WRITTEN:SQLITE_BUSY"));
        assertThat(level.notWritten()).isEqualTo(level.failed());
        assertThat(level.lost()).isZero();
        assertThat(report.breakingPoint()).hasValue(200);
    }

    @Test
    @Timeout(300)
    void naiveWriterInChildJvmsFailsAndTheFailuresAreCounted() {
        SqliteConfig rollback = SqliteConfig.builder(dir.resolve("x.db")).journalMode(JournalMode.DELETE).build();
        ContentionReport report = ContentionRunner.run(
                Scenario.builder().writer(WriterKind.NAIVE).writerCounts(150).processes(2)
                        .naiveBusyTimeout(Duration.ZERO).build(), rollback, dir);
        LevelResult level = report.levels().get(0);
        assertThat(level.failed()).isPositive();
        assertThat(level.failed() + level.acknowledged()).isEqualTo(150);
        assertThat(level.lost()).isZero();
    }
}
