package dev.sqlitemetrics.testkit;

import dev.sqlitemetrics.testkit.report.ReportFormat;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * Fluent checks on a {@link ContentionReport} for a user's own tests, with no dependency on any
 * test framework: a failed check throws {@link AssertionError} whose message is the report table.
 *
 * <pre>{@code
 * ContentionAssertions.assertThat(report).lostNothing().failedNothing().p99Below(Duration.ofSeconds(1));
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

    /** Every acknowledged record is present, none twice, none unexpected, and integrity_check is ok. */
    public ContentionAssertions lostNothing() {
        check("lost, duplicated or unexpected records, or a failed integrity check",
                level -> level.lost() == 0 && level.duplicated() == 0 && level.unexpected() == 0 && level.integrityOk());
        return this;
    }

    /** No call failed. */
    public ContentionAssertions failedNothing() {
        check("failed calls", level -> level.failed() == 0);
        return this;
    }

    /** Every level's p99 latency is below {@code limit}. */
    public ContentionAssertions p99Below(Duration limit) {
        check("p99 latency at or above " + limit.toMillis() + "ms", level -> level.p99Ms() < limit.toNanos() / 1e6);
        return this;
    }

    /** Every level met the scenario's thresholds. */
    public ContentionAssertions passed() {
        check("threshold violations", LevelResult::passed);
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
