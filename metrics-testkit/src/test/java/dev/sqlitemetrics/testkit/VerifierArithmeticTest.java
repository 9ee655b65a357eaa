package dev.sqlitemetrics.testkit;

import dev.sqlitemetrics.testkit.internal.run.Attempt;
import dev.sqlitemetrics.testkit.internal.run.RecordContent;
import dev.sqlitemetrics.testkit.internal.run.TableSnapshot;
import dev.sqlitemetrics.testkit.internal.run.Verifier;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The level arithmetic on known inputs: percentiles, every kind of row problem, thresholds. */
class VerifierArithmeticTest {
    private static final long MS = 1_000_000L;
    private static final String CONTENT = RecordContent.hash("m", "contention", "SUCCEEDED");

    @Test
    void computesPercentilesOfAcknowledgedCallsAndThroughputToTheLastAcknowledgement() {
        List<Attempt> attempts = new ArrayList<>();
        Map<String, List<String>> rows = new HashMap<>();
        for (int i = 1; i <= 100; i++) {
            String id = UUID.randomUUID().toString();
            attempts.add(new Attempt(id, Attempt.Status.OK, null, i * MS, i * 20 * MS, CONTENT));
            rows.put(id, List.of(CONTENT));
        }
        // A failed call that is slower than every acknowledged one must not move their percentiles.
        attempts.add(new Attempt("f", Attempt.Status.NOT_WRITTEN, "SQLITE_BUSY", 5_000 * MS, 2_500 * MS, CONTENT));
        LevelResult level = evaluate(attempts, table(rows), Thresholds.NOTHING_LOST.withMaxLatency(Duration.ofSeconds(10)));
        assertThat(level.p50Ms()).isCloseTo(50, within(0.1));
        assertThat(level.p95Ms()).isCloseTo(95, within(0.1));
        assertThat(level.p99Ms()).isCloseTo(99, within(0.1));
        assertThat(level.maxMs()).isCloseTo(100, within(0.1));
        assertThat(level.failedLatency().maxMs()).isCloseTo(5_000, within(5.0));
        // 100 acknowledged by 2,000 ms after the release; the failed call returned later, at 2,500 ms.
        assertThat(level.throughputPerSec()).isCloseTo(50, within(0.001));
        assertThat(level.drainMs()).isEqualTo(2_500);
        assertThat(level.failuresByCode()).containsExactly(Map.entry("NOT_WRITTEN:SQLITE_BUSY", 1L));
    }

    @Test
    void countsEveryKindOfRowProblemByExactIdAndContent() {
        List<Attempt> attempts = List.of(
                ok("kept"), ok("lost"), ok("doubled"), ok("altered"),
                new Attempt("busy", Attempt.Status.NOT_WRITTEN, "SQLITE_BUSY", MS, MS, CONTENT),
                new Attempt("present", Attempt.Status.NOT_WRITTEN, "SQLITE_BUSY", MS, MS, CONTENT),
                new Attempt("io", Attempt.Status.UNKNOWN, "SQLITE_IOERR_FSYNC", MS, MS, CONTENT),
                new Attempt("odd", Attempt.Status.UNKNOWN, "FOREIGN_IllegalStateException", MS, MS, CONTENT));
        Map<String, List<String>> rows = Map.of(
                "kept", List.of(CONTENT),
                "doubled", List.of(CONTENT, CONTENT, CONTENT),
                "altered", List.of(RecordContent.hash("x", "contention", "SUCCEEDED")),
                "present", List.of(CONTENT),
                "KEPT", List.of(CONTENT),
                "invented", List.of(CONTENT));
        LevelResult level = evaluate(attempts, table(rows), Thresholds.NOTHING_LOST);
        assertThat(level.attempted()).isEqualTo(8);
        assertThat(level.acknowledged()).isEqualTo(4);
        assertThat(level.notWritten()).isEqualTo(2);
        assertThat(level.unknown()).isEqualTo(2);
        assertThat(level.failed()).isEqualTo(4);
        assertThat(level.lost()).isEqualTo(1);
        assertThat(level.duplicated()).isEqualTo(2);
        assertThat(level.altered()).isEqualTo(1);
        assertThat(level.presentNotWritten()).isEqualTo(1);
        // "KEPT" differs from "kept" only in spelling: a row never attempted, not a copy.
        assertThat(level.unexpected()).isEqualTo(2);
        assertThat(level.foreignExceptions()).isEqualTo(1);
        assertThat(level.failuresByCode()).containsExactlyInAnyOrderEntriesOf(Map.of("NOT_WRITTEN:SQLITE_BUSY", 2L,
                "UNKNOWN:SQLITE_IOERR_FSYNC", 1L, "UNKNOWN:FOREIGN_IllegalStateException", 1L));
        assertThat(level.violations()).containsExactly("4 failed > maxFailures 0", "1 lost > maxLost 0",
                "2 of unknown outcome > maxUnknown 0", "1 reported not written but present", "2 duplicated",
                "2 rows whose id (as stored) was never attempted", "1 rows hold other content than their writer asked for",
                "1 calls threw an exception that is not one of the library's types");
        assertThat(level.keptEverything()).isFalse();
    }

    @Test
    void rowsWithoutAnIdAndRowsThatArriveDuringCloseAreViolations() {
        List<Attempt> attempts = List.of(ok("a"));
        TableSnapshot before = new TableSnapshot(Map.of(), 10, 1234, "ok");
        TableSnapshot answered = new TableSnapshot(Map.of(), 10, 1234, "ok");
        TableSnapshot closed = new TableSnapshot(rows(Map.of("a", List.of(CONTENT))), 10, 1234, "ok");
        LevelResult late = Verifier.evaluate(1, attempts, before, answered, closed, 0, Thresholds.NOTHING_LOST);
        assertThat(late.lost()).isEqualTo(1);
        assertThat(late.changedAfterClose()).isEqualTo(1);
        assertThat(late.violations()).contains("1 rows appeared, vanished or changed after the writers had their answers,"
                + " during close()");

        TableSnapshot copied = new TableSnapshot(rows(Map.of("a", List.of(CONTENT))), 11, 1234 + 77, "ok");
        LevelResult extra = Verifier.evaluate(1, attempts, before, copied, copied, 0, Thresholds.NOTHING_LOST);
        assertThat(extra.anonymousChanged()).isEqualTo(1);
        assertThat(extra.violations()).containsExactly("rows without an id changed: 10 before the writers, 11 after");

        TableSnapshot rewritten = new TableSnapshot(rows(Map.of("a", List.of(CONTENT))), 10, 999, "ok");
        assertThat(Verifier.evaluate(1, attempts, before, rewritten, rewritten, 0, Thresholds.NOTHING_LOST).violations())
                .containsExactly("rows without an id changed: 10 before the writers, 10 after, other content");
    }

    @Test
    void thresholdsAreInclusiveAndUnknownOutcomesHaveTheirOwn() {
        List<Attempt> attempts = List.of(new Attempt("u", Attempt.Status.UNKNOWN, "SQLITE_IOERR", 300 * MS, MS, CONTENT),
                ok("a"));
        Map<String, List<String>> rows = Map.of("a", List.of(CONTENT));
        // Many failures allowed, still no unknown outcome: an unknown outcome proves nothing.
        assertThat(evaluate(attempts, table(rows), new Thresholds(100, 0, null)).violations())
                .containsExactly("1 of unknown outcome > maxUnknown 0");
        assertThat(evaluate(attempts, table(rows), new Thresholds(100, 0, null).withMaxUnknown(1)).passed()).isTrue();
        Thresholds atTheLimit = new Thresholds(1, 0, 1, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(300));
        assertThat(evaluate(attempts, table(rows), atTheLimit).passed()).isTrue();
        Thresholds tighter = atTheLimit.withMaxLatency(Duration.ofMillis(299));
        assertThat(evaluate(attempts, table(rows), tighter).violations())
                .singleElement().asString().startsWith("slowest call 300.").endsWith("ms > maxLatency 299ms");
        TableSnapshot broken = new TableSnapshot(rows(rows), 0, 0, "*** in database main ***");
        assertThat(Verifier.evaluate(2, attempts, TableSnapshot.empty(), broken, broken, 0, atTheLimit).violations())
                .containsExactly("integrity_check returned *** in database main ***");
    }

    @Test
    void theBreakingPointIsTheLowestViolatingLevel() {
        LevelResult pass10 = level(10, List.of());
        LevelResult fail40 = level(40, List.of("1 lost > maxLost 0"));
        LevelResult fail20 = level(20, List.of("2 failed > maxFailures 0"));
        ContentionReport report = ContentionReport.of(dev.sqlitemetrics.core.SqliteConfig.defaults(java.nio.file.Path.of("x.db")),
                Scenario.builder().build(), List.of(fail40, pass10, fail20), Duration.ofSeconds(1));
        assertThat(report.breakingPoint()).hasValue(20);
        assertThat(report.levels()).extracting(LevelResult::writers).containsExactly(10, 20, 40);
        assertThat(report.passed()).isFalse();
        assertThat(report.schemaVersion()).isEqualTo(ContentionReport.SCHEMA_VERSION);
    }

    static LevelResult level(int writers, List<String> violations) {
        return new LevelResult(writers, writers, writers, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 3.5, 4,
                LevelResult.Latency.NONE, 100, 10, Map.of(), true, violations);
    }

    private static Attempt ok(String id) {
        return new Attempt(id, Attempt.Status.OK, null, MS, MS, CONTENT);
    }

    private static TableSnapshot table(Map<String, List<String>> rows) {
        return new TableSnapshot(rows(rows), 0, 0, "ok");
    }

    /** Rows of these contents, with no time (the attempts of these tests have none to compare). */
    private static Map<String, List<TableSnapshot.Row>> rows(Map<String, List<String>> contents) {
        Map<String, List<TableSnapshot.Row>> rows = new HashMap<>();
        contents.forEach((id, list) -> rows.put(id, list.stream().map(content -> new TableSnapshot.Row(content, null))
                .toList()));
        return rows;
    }

    @Test
    void aRowWhoseTimeLiesOutsideItsCallIsAltered() {
        long start = 1_764_000_000_000L;
        List<Attempt> attempts = List.of(
                new Attempt("on-time", Attempt.Status.OK, null, MS, MS, CONTENT, start, start + 10),
                new Attempt("at-the-edge", Attempt.Status.OK, null, MS, MS, CONTENT, start, start + 10),
                new Attempt("a-year-ago", Attempt.Status.OK, null, MS, MS, CONTENT, start, start + 10),
                new Attempt("late", Attempt.Status.OK, null, MS, MS, CONTENT, start, start + 10),
                new Attempt("no-time", Attempt.Status.OK, null, MS, MS, CONTENT, start, start + 10));
        Map<String, List<TableSnapshot.Row>> rows = Map.of(
                "on-time", List.of(new TableSnapshot.Row(CONTENT, start + 3)),
                "at-the-edge", List.of(new TableSnapshot.Row(CONTENT, start - Verifier.TIME_TOLERANCE.toMillis())),
                "a-year-ago", List.of(new TableSnapshot.Row(CONTENT, start - 365L * 86_400_000L)),
                "late", List.of(new TableSnapshot.Row(CONTENT, start + 10 + Verifier.TIME_TOLERANCE.toMillis() + 1)),
                "no-time", List.of(new TableSnapshot.Row(CONTENT, null)));
        LevelResult level = evaluate(attempts, new TableSnapshot(rows, 0, 0, "ok"), Thresholds.NOTHING_LOST);
        assertThat(level.altered()).isEqualTo(3);
        assertThat(level.lost()).isZero();
        assertThat(level.violations()).containsExactly("3 rows hold a time outside their call (more than 5ms before it"
                + " began or after it was answered)");
    }

    @Test
    void aPlainRecordWhoseIdNeverCameBackIsFoundByItsContent() {
        String mine = RecordContent.hash("plain-1", null, null);
        String other = RecordContent.hash("plain-2", null, null);
        List<Attempt> attempts = List.of(
                new Attempt(Attempt.UNKNOWN_ID, Attempt.Status.UNKNOWN, "FOREIGN_IllegalStateException", MS, MS, mine),
                new Attempt(Attempt.UNKNOWN_ID, Attempt.Status.UNKNOWN, "FOREIGN_IllegalStateException", MS, MS, other));
        LevelResult level = evaluate(attempts, table(Map.of("x", List.of(mine))),
                new Thresholds(10, 0, null).withMaxUnknown(10));
        assertThat(level.unexpected()).isZero();
        assertThat(level.duplicated()).isZero();
        assertThat(level.unknown()).isEqualTo(2);
        LevelResult twice = evaluate(attempts, table(Map.of("x", List.of(mine), "y", List.of(mine))),
                new Thresholds(10, 0, null).withMaxUnknown(10));
        assertThat(twice.unexpected()).isEqualTo(1);
    }

    private static LevelResult evaluate(List<Attempt> attempts, TableSnapshot table, Thresholds thresholds) {
        return Verifier.evaluate(attempts.size(), attempts, TableSnapshot.empty(), table, table, 0, thresholds);
    }
}
