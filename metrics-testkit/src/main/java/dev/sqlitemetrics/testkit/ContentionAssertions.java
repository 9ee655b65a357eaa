package dev.sqlitemetrics.testkit;

import dev.sqlitemetrics.testkit.internal.report.ReportFormat;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * Fluent checks on a {@link ContentionReport} for a user's own tests, with no dependency on any
 * test framework: a failed check throws {@link AssertionError} whose message is the report table.
 *
 * <pre>{@code
 * ContentionAssertions.assertThat(report).lostNothing().failedNothing().p99AtMost(Duration.ofSeconds(1));
 * }</pre>
 */
public final class ContentionAssertions {
    private final ContentionReport report;

    private ContentionAssertions(ContentionReport report) {
        this.report = report;
    }

    /** Starts checking {@code report}. */
    public static ContentionAssertions assertThat(ContentionReport report) {
        return new ContentionAssertions(report);
    }

    /**
     * The table holds exactly what the writers were told, at every level: every acknowledged record
     * present once with the content asked for (already when its writer had the answer, not only after
     * {@code close()}), nothing duplicated, altered or invented, nothing present that was reported not
     * written, other clients' rows untouched, integrity ok, every failure one of the library's types,
     * and every outcome known (an unknown outcome proves nothing). See {@link LevelResult#keptEverything()}.
     */
    public ContentionAssertions lostNothing() {
        check("lost, duplicated, altered, invented or late records, unknown outcomes or a failed integrity check",
                LevelResult::keptEverything);
        return this;
    }

    /** No call failed. */
    public ContentionAssertions failedNothing() {
        check("failed calls", level -> level.failed() == 0);
        return this;
    }

    /** Every level's p99 latency of acknowledged calls is at most {@code limit}, as the {@code maxP99} threshold. */
    public ContentionAssertions p99AtMost(Duration limit) {
        check("p99 latency above " + limit.toMillis() + "ms", level -> level.p99Ms() <= limit.toNanos() / 1e6);
        return this;
    }

    /** Every level met the scenario's thresholds and kept every promise: nothing the run counted is a violation. */
    public ContentionAssertions passed() {
        check("violations", LevelResult::passed);
        return this;
    }

    private void check(String what, Predicate<LevelResult> ok) {
        List<Integer> bad = report.levels().stream().filter(ok.negate()).map(LevelResult::writers).toList();
        if (!bad.isEmpty()) {
            throw new AssertionError("expected no " + what + ", but found some at writer counts " + bad + ":\n"
                    + ReportFormat.TEXT.render(List.of(report)));
        }
    }
}
