package dev.sqlitemetrics.testkit;

import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.SqliteConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The runner's counting and breaking-point search, against a fake that fails on a known schedule. */
class ScheduledFailureTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void countsScheduledFailuresAndLossesExactly() {
        Scenario scenario = Scenario.builder().writerCounts(70).calls(Calls.COMPLETION).build();
        ContentionReport report = ContentionRunner.of(scenario, SqliteConfig.defaults(dir.resolve("x.db")), dir)
                .withRecorderFactory(config -> new ScheduledFailureRecorder(MetricsRecorder.open(config),
                        call -> call % 5 == 0, call -> call % 7 == 0))
                .run();
        LevelResult level = report.levels().get(0);
        // Calls 0..69: 14 are multiples of 5 (thrown), 8 more are multiples of 7 but not of 5 (lost).
        assertThat(level.attempted()).isEqualTo(70);
        assertThat(level.failed()).isEqualTo(14);
        assertThat(level.acknowledged()).isEqualTo(56);
        assertThat(level.lost()).isEqualTo(8);
        assertThat(level.duplicated()).isZero();
        assertThat(level.unexpected()).isZero();
        assertThat(level.failuresByCode()).isEqualTo(Map.of("UNKNOWN:FOREIGN_IllegalStateException", 14L));
        assertThat(level.unknown()).isEqualTo(14);
        assertThat(level.foreignExceptions()).isEqualTo(14);
        assertThat(report.breakingPoint()).hasValue(70);
        assertThatThrownBy(() -> ContentionAssertions.assertThat(report).lostNothing())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected no lost, duplicated, altered, invented or late records")
                .hasMessageContaining("writers attempted")
                .hasMessageContaining("UNKNOWN:FOREIGN_IllegalStateException=14");
    }

    @Test
    @Timeout(300)
    void findsTheBreakingPointByDoublingThenBisecting() {
        // Each level opens a fresh fake; it fails every call past the 36th, so 37 writers is the first to fail.
        Scenario scenario = Scenario.builder().writerCounts(1).calls(Calls.COMPLETION).build();
        ContentionReport report = ContentionRunner.of(scenario, SqliteConfig.defaults(dir.resolve("x.db")), dir)
                .withRecorderFactory(config -> new ScheduledFailureRecorder(MetricsRecorder.open(config),
                        call -> call >= 36, call -> false))
                .findBreakingPoint(1_000, Duration.ofMinutes(4));
        assertThat(report.breakingPoint()).hasValue(37);
        assertThat(report.levels()).extracting(LevelResult::writers)
                .containsExactly(1, 2, 4, 8, 16, 32, 36, 37, 38, 40, 48, 64);
    }

    @Test
    @Timeout(120)
    void stopsSearchingAtTheWriterBound() {
        ContentionReport report = ContentionRunner.of(Scenario.builder().writerCounts(4).build(),
                        SqliteConfig.defaults(dir.resolve("x.db")), dir)
                .findBreakingPoint(20, Duration.ofMinutes(1));
        assertThat(report.breakingPoint()).isEmpty();
        assertThat(report.levels()).extracting(LevelResult::writers).containsExactly(4, 8, 16, 20);
        ContentionAssertions.assertThat(report).lostNothing().failedNothing().passed();
    }
}
