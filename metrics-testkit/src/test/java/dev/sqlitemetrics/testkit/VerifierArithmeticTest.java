package dev.sqlitemetrics.testkit;

import dev.sqlitemetrics.testkit.run.Attempt;
import dev.sqlitemetrics.testkit.run.Verifier;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The level arithmetic on known inputs: percentiles, lost, duplicated, unexpected, thresholds. */
class VerifierArithmeticTest {
    private static final long MS = 1_000_000L;

    @Test
    void computesPercentilesFromKnownLatencies() {
        List<Attempt> attempts = new ArrayList<>();
        Map<String, Integer> present = new HashMap<>();
        for (int i = 1; i <= 100; i++) {
            UUID id = UUID.randomUUID();
            attempts.add(new Attempt(id, Attempt.Status.OK, null, i * MS));
            present.put(id.toString(), 1);
        }
        LevelResult level = Verifier.evaluate(100, attempts, present, true, 2_000 * MS, Thresholds.NOTHING_LOST);
        assertThat(level.p50Ms()).isCloseTo(50, within(0.1));
        assertThat(level.p95Ms()).isCloseTo(95, within(0.1));
        assertThat(level.p99Ms()).isCloseTo(99, within(0.1));
        assertThat(level.maxMs()).isCloseTo(100, within(0.1));
        assertThat(level.throughputPerSec()).isCloseTo(50, within(0.001));
        assertThat(level.drainMs()).isEqualTo(2_000);
        assertThat(level.passed()).isTrue();
    }

    @Test
    void countsLostDuplicatedUnexpectedAndFailuresByIdentity() {
        UUID kept = UUID.randomUUID();
        UUID lost = UUID.randomUUID();
        UUID doubled = UUID.randomUUID();
        UUID busy = UUID.randomUUID();
        UUID locked = UUID.randomUUID();
        List<Attempt> attempts = List.of(
                new Attempt(kept, Attempt.Status.OK, null, MS),
                new Attempt(lost, Attempt.Status.OK, null, MS),
                new Attempt(doubled, Attempt.Status.OK, null, MS),
                new Attempt(busy, Attempt.Status.NOT_WRITTEN, "SQLITE_BUSY", MS),
                new Attempt(locked, Attempt.Status.NOT_WRITTEN, "SQLITE_BUSY", MS),
                new Attempt(UUID.randomUUID(), Attempt.Status.UNKNOWN, "SQLITE_IOERR_FSYNC", MS));
        Map<String, Integer> present = Map.of(kept.toString(), 1, doubled.toString(), 3, UUID.randomUUID().toString(), 1,
                locked.toString(), 1);
        LevelResult level = Verifier.evaluate(6, attempts, present, true, MS, Thresholds.NOTHING_LOST);
        assertThat(level.attempted()).isEqualTo(6);
        assertThat(level.acknowledged()).isEqualTo(3);
        assertThat(level.failed()).isEqualTo(3);
        assertThat(level.lost()).isEqualTo(1);
        assertThat(level.duplicated()).isEqualTo(2);
        assertThat(level.unexpected()).isEqualTo(1);
        assertThat(level.failuresByCode()).containsExactlyInAnyOrderEntriesOf(Map.of("SQLITE_BUSY", 2L, "SQLITE_IOERR_FSYNC", 1L));
        assertThat(level.violations()).containsExactly("3 failed > maxFailures 0", "1 lost > maxLost 0",
                "1 reported not written but present", "2 duplicated", "1 rows never attempted");
    }

    @Test
    void thresholdsDecidePassOrFail() {
        List<Attempt> attempts = List.of(new Attempt(UUID.randomUUID(), Attempt.Status.NOT_WRITTEN, "SQLITE_BUSY", 300 * MS));
        Thresholds lenient = new Thresholds(1, 0, Duration.ofMillis(500));
        assertThat(Verifier.evaluate(1, attempts, Map.of(), true, MS, lenient).passed()).isTrue();
        Thresholds strictLatency = new Thresholds(1, 0, Duration.ofMillis(100));
        assertThat(Verifier.evaluate(1, attempts, Map.of(), true, MS, strictLatency).violations())
                .singleElement().asString().startsWith("p99 300.").endsWith("ms > maxP99 100ms");
        assertThat(Verifier.evaluate(1, attempts, Map.of(), false, MS, lenient).violations())
                .containsExactly("integrity_check failed");
    }

    @Test
    void theBreakingPointIsTheLowestViolatingLevel() {
        LevelResult pass10 = level(10, List.of());
        LevelResult fail40 = level(40, List.of("1 lost > maxLost 0"));
        LevelResult fail20 = level(20, List.of("2 failed > maxFailures 0"));
        ContentionReport report = ContentionReport.of(dev.sqlitemetrics.core.RecorderConfig.defaults(java.nio.file.Path.of("x.db")),
                Scenario.builder().build(), List.of(fail40, pass10, fail20), Duration.ofSeconds(1));
        assertThat(report.breakingPoint()).isEqualTo(20);
        assertThat(report.levels()).extracting(LevelResult::writers).containsExactly(10, 20, 40);
        assertThat(report.passed()).isFalse();
        assertThat(report.schemaVersion()).isEqualTo(ContentionReport.SCHEMA_VERSION);
    }

    static LevelResult level(int writers, List<String> violations) {
        return new LevelResult(writers, writers, writers, 0, 0, 0, 0, 1, 2, 3, 4, 100, 10, Map.of(), true, violations);
    }
}
