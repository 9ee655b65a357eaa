package dev.sqlitemetrics.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A structured completion record: which task finished, how, how long it took, and any attributes.
 *
 * <p>Stored in one row: {@code task}, {@code outcome} (the enum name), {@code duration_ms},
 * {@code attributes} (a JSON object of strings, readable with SQLite's {@code json_extract}) and
 * {@code msg} (the given message, or a summary such as {@code "nightly-export SUCCEEDED in 1532ms"}).
 *
 * <pre>{@code
 * recorder.recordCompletion(Completion.builder("nightly-export", Outcome.SUCCEEDED)
 *         .duration(Duration.ofMillis(1532))
 *         .attribute("rows", "1200")
 *         .build());
 * }</pre>
 *
 * @param id         the record id, the idempotency key: recording the same id twice stores it once
 * @param task       the task's name, not empty
 * @param outcome    how the task ended
 * @param duration   how long the task ran, or {@code null} when unknown; never negative, at most {@link #MAX_DURATION}
 * @param attributes further facts, in insertion order; unmodifiable
 * @param message    the {@code msg} column's text
 * @param endedAt    when the task ended (the {@code ts} column), for a completion recorded after the fact;
 *                   {@code null} for the moment it is recorded, the usual case
 */
public record Completion(UUID id, String task, Outcome outcome, Duration duration, Map<String, String> attributes,
                         String message, Instant endedAt) {

    /**
     * Longest accepted duration: 100 years (36,500 days). Longer is a unit mix-up, not a task, and
     * would overflow the nanosecond arithmetic of {@link Duration}.
     */
    public static final Duration MAX_DURATION = Duration.ofDays(36_500);
    /** The latest accepted {@link #endedAt()}: the end of the year 9999, as far as the stores' time formats go. */
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    /** Checks nulls and ranges; text content (surrogates, size) is checked by the recorder. */
    public Completion {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(attributes, "attributes");
        Objects.requireNonNull(message, "message");
        if (task.isEmpty()) {
            throw new IllegalArgumentException("task must not be empty, was ''");
        }
        if (duration != null && duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative, was " + duration.toMillis() + "ms");
        }
        if (duration != null && duration.compareTo(MAX_DURATION) > 0) {
            // In seconds: a duration this long may not fit a long in milliseconds.
            throw new IllegalArgumentException("duration must be at most " + MAX_DURATION.getSeconds() + "s ("
                    + MAX_DURATION.toDays() + " days), was " + duration.getSeconds() + "s");
        }
        if (endedAt != null && (endedAt.isBefore(Instant.EPOCH) || endedAt.isAfter(LATEST))) {
            throw new IllegalArgumentException("endedAt must be between 1970-01-01T00:00:00Z and " + LATEST + ", was "
                    + endedAt);
        }
        Map<String, String> copy = new LinkedHashMap<>();
        attributes.forEach((key, value) -> copy.put(
                Objects.requireNonNull(key, "attributes key"),
                Objects.requireNonNull(value, () -> "attributes value of '" + key + "'")));
        attributes = Collections.unmodifiableMap(copy);
    }

    /** A builder for a completion of {@code task} with {@code outcome}; the id is a new time-ordered UUID. */
    public static Builder builder(String task, Outcome outcome) {
        return new Builder(task, outcome);
    }

    /** Collects a completion's fields. Not thread-safe. */
    public static final class Builder {
        private final String task;
        private final Outcome outcome;
        private final Map<String, String> attributes = new LinkedHashMap<>();
        private UUID id;
        private Duration duration;
        private String message;
        private Instant endedAt;

        private Builder(String task, Outcome outcome) {
            this.task = Objects.requireNonNull(task, "task");
            this.outcome = Objects.requireNonNull(outcome, "outcome");
        }

        /** Sets the record id, for example to record the same completion again after an unknown outcome. */
        public Builder id(UUID value) {
            this.id = Objects.requireNonNull(value, "id");
            return this;
        }

        /** Sets how long the task ran. */
        public Builder duration(Duration value) {
            this.duration = Objects.requireNonNull(value, "duration");
            return this;
        }

        /** Adds an attribute; a second value for the same key replaces the first. */
        public Builder attribute(String key, String value) {
            attributes.put(Objects.requireNonNull(key, "attributes key"),
                    Objects.requireNonNull(value, () -> "attributes value of '" + key + "'"));
            return this;
        }

        /** Sets the {@code msg} text; by default a summary of task, outcome and duration. */
        public Builder message(String value) {
            this.message = Objects.requireNonNull(value, "message");
            return this;
        }

        /**
         * Sets when the task ended, to record a completion after the fact (a backfill); by default the
         * moment it is recorded. Not before 1970 nor after the year 9999.
         */
        public Builder endedAt(Instant value) {
            this.endedAt = Objects.requireNonNull(value, "endedAt");
            return this;
        }

        /** The completion. */
        public Completion build() {
            // A duration past MAX_DURATION may not fit in milliseconds; the constructor refuses it anyway.
            boolean summarisable = duration != null && duration.compareTo(MAX_DURATION) <= 0;
            String text = message != null ? message
                    : task + " " + outcome + (summarisable ? " in " + duration.toMillis() + "ms" : "");
            return new Completion(id != null ? id : RecordIds.next(), task, outcome, duration, attributes, text,
                    endedAt);
        }
    }
}
