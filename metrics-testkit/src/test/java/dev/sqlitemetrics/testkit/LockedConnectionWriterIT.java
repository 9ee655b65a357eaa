package dev.sqlitemetrics.testkit;

import dev.sqlitemetrics.core.PostgresConfig;
import dev.sqlitemetrics.core.SqliteConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The do-it-yourself writer the benchmarks compare with ({@link WriterKind#LOCKED_CONNECTION}): in
 * threads of one JVM its lock keeps SQLite's lock free, across JVMs its busy retry loop waits; either
 * way nothing fails and nothing is lost, so the comparison is of speed alone.
 */
class LockedConnectionWriterIT {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void inThreadsOfOneJvmEveryRecordIsWritten() {
        ContentionReport report = ContentionRunner.run(Scenario.builder().writerCounts(64).recordsPerWriter(5)
                .writer(WriterKind.LOCKED_CONNECTION).build(), SqliteConfig.defaults(dir.resolve("x.db")), dir);
        ContentionAssertions.assertThat(report).lostNothing().failedNothing();
        assertThat(report.levels().get(0).acknowledged()).isEqualTo(320);
    }

    @Test
    @Timeout(180)
    void acrossJvmsTheRetryLoopRidesOutTheOthersLocks() {
        ContentionReport report = ContentionRunner.run(Scenario.builder().writerCounts(32).recordsPerWriter(20)
                .processes(4).writer(WriterKind.LOCKED_CONNECTION).build(), SqliteConfig.defaults(dir.resolve("x.db")), dir);
        ContentionAssertions.assertThat(report).lostNothing().failedNothing();
        assertThat(report.levels().get(0).acknowledged()).isEqualTo(640);
    }

    @Test
    void isRefusedOnAServerBeforeAnythingRuns() {
        PostgresConfig server = PostgresConfig.builder("jdbc:postgresql://localhost:1/none").build();
        assertThatThrownBy(() -> ContentionRunner.run(Scenario.builder().writerCounts(1)
                .writer(WriterKind.LOCKED_CONNECTION).build(), server, dir))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a SQLite file");
    }
}
