package dev.sqlitemetrics.cli.report;

import dev.sqlitemetrics.core.CompletionFilter;
import dev.sqlitemetrics.core.GroupBy;
import dev.sqlitemetrics.core.MetricsReader;
import dev.sqlitemetrics.core.Outcome;
import dev.sqlitemetrics.core.StoredCompletion;
import dev.sqlitemetrics.core.SummaryGroup;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the dashboard shows, read from the table in a few passes over one time window: counts per
 * task and time bucket, counts and duration percentiles per task and outcome and per time bucket,
 * the slowest completions and the latest failures.
 *
 * @param database       the database, as the configuration names it (never with a password)
 * @param window         the rows shown: {@code from} and {@code until} are set, a task may be
 * @param bucket         the time bucket: {@link GroupBy#MINUTE}, {@link GroupBy#HOUR} or {@link GroupBy#DAY}
 * @param generated      when the page was made
 * @param perTaskAndTime counts per task and bucket
 * @param perTaskAndOutcome counts per task and outcome
 * @param perTask        counts and duration percentiles per task
 * @param perTime        duration percentiles per bucket
 * @param slowest        the completions that took longest, longest first
 * @param failed         the latest failed completions, newest first
 */
public record Dashboard(String database, CompletionFilter window, GroupBy bucket, Instant generated,
                        List<SummaryGroup> perTaskAndTime, List<SummaryGroup> perTaskAndOutcome, List<SummaryGroup> perTask,
                        List<SummaryGroup> perTime,
                        List<StoredCompletion> slowest, List<StoredCompletion> failed) {

    /** Checks that the window is bounded and the bucket is a time bucket. */
    public Dashboard {
        Objects.requireNonNull(window.from(), "window.from");
        Objects.requireNonNull(window.until(), "window.until");
        if (unit(bucket) == null) {
            throw new IllegalArgumentException("bucket must be minute, hour or day, was " + bucket);
        }
    }

    /** Reads a dashboard of {@code window} from {@code reader}, with tables of up to {@code rows} completions. */
    public static Dashboard read(MetricsReader reader, String database, CompletionFilter window, GroupBy bucket, int rows) {
        return new Dashboard(database, window, bucket, Instant.now(),
                reader.summarize(window, Set.of(GroupBy.TASK, bucket)),
                reader.summarize(window, Set.of(GroupBy.TASK, GroupBy.OUTCOME)),
                reader.summarize(window, Set.of(GroupBy.TASK)),
                reader.summarize(window, Set.of(bucket)),
                reader.slowest(window, rows),
                reader.latest(window.outcome(Outcome.FAILED), rows));
    }

    /** The bucket that gives a window of {@code length} a readable number of bars: minutes up to 6 hours, hours up to 14 days. */
    public static GroupBy bucketFor(Duration length) {
        if (length.compareTo(Duration.ofHours(6)) <= 0) {
            return GroupBy.MINUTE;
        }
        return length.compareTo(Duration.ofDays(14)) <= 0 ? GroupBy.HOUR : GroupBy.DAY;
    }

    /** The start of every bucket of the window, oldest first, empty ones included. */
    List<Instant> buckets() {
        ChronoUnit unit = unit(bucket);
        List<Instant> starts = new ArrayList<>();
        for (Instant start = window.from().truncatedTo(unit); start.isBefore(window.until()); start = start.plus(1, unit)) {
            starts.add(start);
        }
        return starts;
    }

    ChronoUnit unit() {
        return unit(bucket);
    }

    private static ChronoUnit unit(GroupBy bucket) {
        if (bucket == null) {
            return null;
        }
        return switch (bucket) {
            case MINUTE -> ChronoUnit.MINUTES;
            case HOUR -> ChronoUnit.HOURS;
            case DAY -> ChronoUnit.DAYS;
            default -> null;
        };
    }
}
