package dev.sqlitemetrics.core;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

/**
 * The read side on known rows, the same checks for every store: 100 successful builds of 1..100 ms,
 * two failed builds of 1 and 2 s, five deploys of 10 ms, and one row another client inserted with a
 * message only. Percentiles are checked within HdrHistogram's stated precision (0.1%).
 */
abstract class ReaderContract {
    static final Instant DAY_ONE = Instant.parse("2026-01-01T10:00:00Z");
    static final Instant DAY_TWO = Instant.parse("2026-01-02T09:00:00Z");

    private UUID firstBuild;

    /** The configuration whose (new, empty) table the test fills. */
    abstract StoreConfig config();

    /** A plain connection to the store. */
    abstract Connection connect() throws SQLException;

    /** A timestamp as a literal the store's {@code ts} column takes. */
    abstract String timestamp(Instant time);

    /** Binds an id as the store keeps it. */
    abstract void bindId(PreparedStatement statement, int index, UUID id) throws SQLException;

    @BeforeEach
    void knownRows() throws SQLException {
        MetricsRecorder.open(config()).close();
        try (Connection connection = connect()) {
            for (int i = 1; i <= 100; i++) {
                UUID id = insert(connection, DAY_ONE.plusSeconds(30L * i), "build", "SUCCEEDED", i);
                firstBuild = i == 1 ? id : firstBuild;
            }
            insert(connection, DAY_ONE.plusSeconds(5400), "build", "FAILED", 1000);
            insert(connection, DAY_ONE.plusSeconds(5401), "build", "FAILED", 2000);
            for (int i = 0; i < 5; i++) {
                insert(connection, DAY_TWO.plusSeconds(i), "deploy", "SUCCEEDED", 10);
            }
            try (PreparedStatement foreign = connection.prepareStatement("INSERT INTO \"" + config().tableName()
                    + "\" (ts, msg) VALUES (" + timestamp(DAY_TWO.plusSeconds(1800)) + ", 'from a shell script')")) {
                foreign.executeUpdate();
            }
        }
    }

    private UUID insert(Connection connection, Instant time, String task, String outcome, double millis) throws SQLException {
        UUID id = RecordIds.next();
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO \"" + config().tableName()
                + "\" (ts, msg, id, task, outcome, duration_ms) VALUES (" + timestamp(time) + ", ?, ?, ?, ?, ?)")) {
            insert.setString(1, task + " " + outcome);
            bindId(insert, 2, id);
            insert.setString(3, task);
            insert.setString(4, outcome);
            insert.setDouble(5, millis);
            insert.executeUpdate();
        }
        return id;
    }

    @Test
    void aSummaryByTaskAndOutcomeHasEveryFigure() {
        try (MetricsReader reader = MetricsReader.open(config())) {
            List<SummaryGroup> groups = reader.summarize(CompletionFilter.ALL, Set.of(GroupBy.TASK, GroupBy.OUTCOME));

            assertThat(groups).extracting(SummaryGroup::task, SummaryGroup::outcome, SummaryGroup::count)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(null, null, 1L),
                            org.assertj.core.groups.Tuple.tuple("build", "FAILED", 2L),
                            org.assertj.core.groups.Tuple.tuple("build", "SUCCEEDED", 100L),
                            org.assertj.core.groups.Tuple.tuple("deploy", "SUCCEEDED", 5L));
            SummaryGroup foreign = groups.get(0);
            assertThat(foreign.share()).isEqualTo(1.0);
            assertThat(foreign.withDuration()).isZero();
            assertThat(foreign.p50Ms()).isNaN();
            assertThat(foreign.maxMs()).isNaN();

            SummaryGroup failed = groups.get(1);
            assertThat(failed.share()).isCloseTo(2.0 / 102, within(1e-12));
            assertThat(failed.p50Ms()).isCloseTo(1000, withinPercentage(0.1));
            assertThat(failed.p95Ms()).isCloseTo(2000, withinPercentage(0.1));
            assertThat(failed.p99Ms()).isCloseTo(2000, withinPercentage(0.1));
            assertThat(failed.maxMs()).isEqualTo(2000);

            SummaryGroup succeeded = groups.get(2);
            assertThat(succeeded.share()).isCloseTo(100.0 / 102, within(1e-12));
            assertThat(succeeded.withDuration()).isEqualTo(100);
            assertThat(succeeded.p50Ms()).isCloseTo(50, withinPercentage(0.1));
            assertThat(succeeded.p95Ms()).isCloseTo(95, withinPercentage(0.1));
            assertThat(succeeded.p99Ms()).isCloseTo(99, withinPercentage(0.1));
            assertThat(succeeded.maxMs()).isEqualTo(100);

            SummaryGroup deploy = groups.get(3);
            assertThat(deploy.share()).isEqualTo(1.0);
            assertThat(deploy.p50Ms()).isCloseTo(10, withinPercentage(0.1));
            assertThat(deploy.maxMs()).isEqualTo(10);
        }
    }

    @Test
    void aSummaryByDayAndTaskPutsEachRowInItsUtcDay() {
        try (MetricsReader reader = MetricsReader.open(config())) {
            List<SummaryGroup> groups = reader.summarize(CompletionFilter.ALL, Set.of(GroupBy.DAY, GroupBy.TASK));

            assertThat(groups).extracting(SummaryGroup::bucket, SummaryGroup::task, SummaryGroup::outcome, SummaryGroup::count)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(Instant.parse("2026-01-01T00:00:00Z"), "build", null, 102L),
                            org.assertj.core.groups.Tuple.tuple(Instant.parse("2026-01-02T00:00:00Z"), null, null, 1L),
                            org.assertj.core.groups.Tuple.tuple(Instant.parse("2026-01-02T00:00:00Z"), "deploy", null, 5L));
            assertThat(groups.get(0).maxMs()).isEqualTo(2000);
            assertThat(groups.get(0).p50Ms()).isCloseTo(51, withinPercentage(0.1));
        }
    }

    @Test
    void filtersSelectByTimeRangeTaskAndOutcome() {
        try (MetricsReader reader = MetricsReader.open(config())) {
            // From 10:30 inclusive (the 60th success) to the end of the first day, exclusive.
            CompletionFilter lateMorning = CompletionFilter.ALL.from(DAY_ONE.plusSeconds(1800))
                    .until(Instant.parse("2026-01-02T00:00:00Z"));
            assertThat(reader.summarize(lateMorning, Set.of(GroupBy.OUTCOME)))
                    .extracting(SummaryGroup::outcome, SummaryGroup::count)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("FAILED", 2L),
                            org.assertj.core.groups.Tuple.tuple("SUCCEEDED", 41L));
            assertThat(reader.summarize(CompletionFilter.ALL.until(DAY_ONE.plusSeconds(1800)), Set.of()))
                    .singleElement().satisfies(group -> assertThat(group.count()).isEqualTo(59));
            assertThat(reader.summarize(CompletionFilter.ALL.task("build").outcome(Outcome.FAILED), Set.of()))
                    .singleElement().satisfies(group -> assertThat(group.count()).isEqualTo(2));
        }
    }

    @Test
    void completionsStreamInTimeOrderAndLatestComesNewestFirst() {
        try (MetricsReader reader = MetricsReader.open(config())) {
            try (Stream<StoredCompletion> deploys = reader.completions(CompletionFilter.ALL.task("deploy"))) {
                List<StoredCompletion> rows = deploys.toList();
                assertThat(rows).hasSize(5).extracting(StoredCompletion::timestamp)
                        .containsExactly(DAY_TWO, DAY_TWO.plusSeconds(1), DAY_TWO.plusSeconds(2), DAY_TWO.plusSeconds(3),
                                DAY_TWO.plusSeconds(4));
                assertThat(rows.get(0).durationMillis()).isEqualTo(10.0);
                assertThat(rows.get(0).id()).isNotNull();
            }
            List<StoredCompletion> latest = reader.latest(CompletionFilter.ALL, 2);
            assertThat(latest).extracting(StoredCompletion::message).containsExactly("from a shell script", "deploy SUCCEEDED");
            assertThat(latest.get(0).id()).isNull();
            assertThat(latest.get(0).task()).isNull();
        }
    }

    @Test
    void slowestComesLongestFirstWithinTheFilter() {
        try (MetricsReader reader = MetricsReader.open(config())) {
            assertThat(reader.slowest(CompletionFilter.ALL, 4)).extracting(StoredCompletion::durationMillis)
                    .containsExactly(2000.0, 1000.0, 100.0, 99.0);
            assertThat(reader.slowest(CompletionFilter.ALL.task("build").outcome(Outcome.SUCCEEDED), 2))
                    .extracting(StoredCompletion::durationMillis).containsExactly(100.0, 99.0);
            // Equal durations: newest first. The foreign row has none and never appears.
            assertThat(reader.slowest(CompletionFilter.ALL.from(DAY_TWO), 10)).hasSize(5)
                    .extracting(StoredCompletion::timestamp).first().isEqualTo(DAY_TWO.plusSeconds(4));
        }
    }

    @Test
    void aSummaryWithRolledUpDaysEqualsTheOneBeforeThePrune() {
        try (MetricsRetention retention = MetricsRetention.open(config());
             MetricsReader reader = MetricsReader.open(config())) {
            Set<GroupBy> byTaskAndOutcome = Set.of(GroupBy.TASK, GroupBy.OUTCOME);
            List<SummaryGroup> before = reader.summarize(CompletionFilter.ALL, byTaskAndOutcome);
            List<SummaryGroup> byDayBefore = reader.summarize(CompletionFilter.ALL, Set.of(GroupBy.DAY, GroupBy.TASK));
            // Part of day one, then all of it, then everything: each row is in one of the two tables.
            retention.prune(DAY_ONE.plusSeconds(1800), true);
            assertThat(reader.summarizeWithRolledUp(CompletionFilter.ALL, byTaskAndOutcome)).isEqualTo(before);
            retention.prune(Instant.parse("2026-01-02T00:00:00Z"), true);
            assertThat(reader.summarizeWithRolledUp(CompletionFilter.ALL, byTaskAndOutcome)).isEqualTo(before);
            assertThat(reader.summarizeWithRolledUp(CompletionFilter.ALL, Set.of(GroupBy.DAY, GroupBy.TASK))).isEqualTo(byDayBefore);
            retention.prune(Instant.parse("2026-01-03T00:00:00Z"), true);
            assertThat(reader.summarize(CompletionFilter.ALL, byTaskAndOutcome)).isEmpty();
            assertThat(reader.summarizeWithRolledUp(CompletionFilter.ALL, byTaskAndOutcome)).isEqualTo(before);

            // A rolled-up day counts when it overlaps the range; task and outcome filter as on rows.
            assertThat(reader.summarizeWithRolledUp(CompletionFilter.ALL.from(DAY_TWO), Set.of()))
                    .singleElement().satisfies(group -> assertThat(group.count()).isEqualTo(6));
            assertThat(reader.summarizeWithRolledUp(CompletionFilter.ALL.until(DAY_ONE.plusSeconds(60)), Set.of()))
                    .singleElement().satisfies(group -> assertThat(group.count()).isEqualTo(102));
            assertThat(reader.summarizeWithRolledUp(CompletionFilter.ALL.until(Instant.parse("2026-01-02T00:00:00Z")), Set.of()))
                    .singleElement().satisfies(group -> assertThat(group.count()).isEqualTo(102));
            assertThat(reader.summarizeWithRolledUp(CompletionFilter.ALL.task("build").outcome(Outcome.FAILED), byTaskAndOutcome))
                    .singleElement().satisfies(group -> {
                        assertThat(group.count()).isEqualTo(2);
                        assertThat(group.maxMs()).isEqualTo(2000);
                        assertThat(group.p50Ms()).isCloseTo(1000, withinPercentage(0.1));
                    });
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> reader.summarizeWithRolledUp(CompletionFilter.ALL, Set.of(GroupBy.HOUR)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("rolled-up rows are kept per day: group by day or by no time bucket, was hours");
        }
    }

    @Test
    void containsSettlesWhetherAnIdIsPresent() {
        try (MetricsReader reader = MetricsReader.open(config())) {
            assertThat(reader.contains(firstBuild)).isTrue();
            assertThat(reader.contains(RecordIds.next())).isFalse();
        }
    }

    @Test
    void pruningRollsOldRowsUpByDayAndKeepsTheRest() {
        try (MetricsRetention retention = MetricsRetention.open(config());
             MetricsReader reader = MetricsReader.open(config())) {
            // Twice on the same day: the second prune merges into the first one's rows.
            assertThat(retention.countBefore(DAY_ONE.plusSeconds(1800))).isEqualTo(59);
            assertThat(retention.prune(DAY_ONE.plusSeconds(1800), true).deleted()).isEqualTo(59);
            PruneResult second = retention.prune(Instant.parse("2026-01-02T00:00:00Z"), true);
            assertThat(second.deleted()).isEqualTo(43);
            assertThat(second.rolledUp()).isEqualTo(43);
            assertThat(second.batches()).isPositive();
            assertThat(retention.countBefore(Instant.parse("2026-01-02T00:00:00Z"))).isZero();
            assertThat(reader.summarize(CompletionFilter.ALL, Set.of())).singleElement()
                    .satisfies(group -> assertThat(group.count()).isEqualTo(6));

            List<SummaryGroup> days = retention.dailySummaries();
            assertThat(days).extracting(SummaryGroup::bucket, SummaryGroup::task, SummaryGroup::outcome, SummaryGroup::count)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(Instant.parse("2026-01-01T00:00:00Z"), "build", "FAILED", 2L),
                            org.assertj.core.groups.Tuple.tuple(Instant.parse("2026-01-01T00:00:00Z"), "build", "SUCCEEDED", 100L));
            SummaryGroup merged = days.get(1);
            assertThat(merged.share()).isCloseTo(100.0 / 102, within(1e-12));
            assertThat(merged.p50Ms()).isCloseTo(50, withinPercentage(0.1));
            assertThat(merged.p99Ms()).isCloseTo(99, withinPercentage(0.1));
            assertThat(merged.maxMs()).isEqualTo(100);

            // The foreign row is summarised as such: no task, no outcome, no duration.
            assertThat(retention.prune(Instant.parse("2026-01-03T00:00:00Z"), true).deleted()).isEqualTo(6);
            assertThat(retention.dailySummaries()).filteredOn(group -> group.task() == null).singleElement()
                    .satisfies(group -> {
                        assertThat(group.count()).isEqualTo(1);
                        assertThat(group.outcome()).isNull();
                        assertThat(group.p50Ms()).isNaN();
                    });
        }
    }

    @Test
    void pruningWithoutRollUpOnlyDeletes() {
        try (MetricsRetention retention = MetricsRetention.open(config())) {
            PruneResult result = retention.prune(Instant.parse("2026-01-02T00:00:00Z"), false);
            assertThat(result.deleted()).isEqualTo(102);
            assertThat(result.rolledUp()).isZero();
            assertThat(retention.dailySummaries()).isEmpty();
        }
    }

    @Test
    void aRecordJustMadeIsReadBack() {
        UUID id;
        try (MetricsRecorder recorder = MetricsRecorder.open(config())) {
            id = recorder.recordCompletion(Completion.builder("live", Outcome.SKIPPED).duration(java.time.Duration.ofMillis(7))
                    .attribute("k", "v").message("now").build());
        }
        try (MetricsReader reader = MetricsReader.open(config())) {
            StoredCompletion row = reader.latest(CompletionFilter.ALL.task("live"), 1).get(0);
            assertThat(row.id()).isEqualTo(id);
            assertThat(row.outcome()).isEqualTo("SKIPPED");
            assertThat(row.durationMillis()).isEqualTo(7.0);
            assertThat(row.attributesJson()).contains("\"k\"").contains("\"v\"");
            assertThat(row.pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(row.timestamp()).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
        }
    }
}
