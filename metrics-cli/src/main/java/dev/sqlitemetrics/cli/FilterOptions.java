package dev.sqlitemetrics.cli;

import dev.sqlitemetrics.core.CompletionFilter;
import dev.sqlitemetrics.core.Outcome;
import dev.sqlitemetrics.testkit.internal.cli.DurationConverter;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Which completions a reading subcommand looks at: a time window, a task, an outcome. Shared by summary, tail and export. */
final class FilterOptions {
    @Option(names = "--since", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Only completions of the last DURATION, e.g. 24h, 7d (default: all).")
    Duration since;

    @Option(names = "--until", paramLabel = "TIME",
            description = "Only completions that ended before TIME: 2026-12-05T07:12:00Z, or with an offset such as +01:00.")
    OffsetDateTime until;

    @Option(names = "--task", paramLabel = "T", description = "Only this task.")
    String task;

    @Option(names = "--outcome", paramLabel = "OUTCOME", description = "Only this outcome: SUCCEEDED, FAILED, CANCELLED or SKIPPED.")
    Outcome outcome;

    /** The filter these options describe, the window's start reckoned from {@code now}. */
    CompletionFilter filter(Instant now) {
        CompletionFilter filter = CompletionFilter.ALL.task(task).outcome(outcome);
        if (since != null) {
            filter = filter.from(now.minus(since));
        }
        return until == null ? filter : filter.until(until.toInstant());
    }
}
