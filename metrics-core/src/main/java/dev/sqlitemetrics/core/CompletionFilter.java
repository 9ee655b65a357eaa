package dev.sqlitemetrics.core;

import java.time.Duration;
import java.time.Instant;

/**
 * Which recorded rows a read looks at: a time range (from inclusive, until exclusive), a task and
 * an outcome; a {@code null} part does not filter.
 *
 * @param from    earliest timestamp, inclusive, or {@code null}
 * @param until   latest timestamp, exclusive, or {@code null}
 * @param task    only rows of this task, or {@code null}
 * @param outcome only rows of this outcome (as stored: {@code SUCCEEDED}, {@code FAILED}, ...), or {@code null}
 */
public record CompletionFilter(Instant from, Instant until, String task, String outcome) {

    /** Every row. */
    public static final CompletionFilter ALL = new CompletionFilter(null, null, null, null);

    /** Checks that the range is not reversed. */
    public CompletionFilter {
        if (from != null && until != null && until.isBefore(from)) {
            throw new IllegalArgumentException("until must not be before from, was from=" + from + ", until=" + until);
        }
    }

    /** Rows recorded in the last {@code age}, up to now. */
    public static CompletionFilter since(Duration age) {
        if (age.isNegative()) {
            throw new IllegalArgumentException("age must not be negative, was " + age);
        }
        return new CompletionFilter(Instant.now().minus(age), null, null, null);
    }

    /** This filter, for {@code value}'s rows only. */
    public CompletionFilter task(String value) {
        return new CompletionFilter(from, until, value, outcome);
    }

    /** This filter, for rows of {@code value} only. */
    public CompletionFilter outcome(Outcome value) {
        return new CompletionFilter(from, until, task, value == null ? null : value.name());
    }

    /** This filter, from {@code value} (inclusive). */
    public CompletionFilter from(Instant value) {
        return new CompletionFilter(value, until, task, outcome);
    }

    /** This filter, until {@code value} (exclusive). */
    public CompletionFilter until(Instant value) {
        return new CompletionFilter(from, value, task, outcome);
    }
}
