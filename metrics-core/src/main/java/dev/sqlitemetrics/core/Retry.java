package dev.sqlitemetrics.core;

import java.time.Duration;
import java.util.Objects;

/**
 * How a batch of records is retried while the database is busy (locked by another writer).
 *
 * <p>Only the busy family of SQLite results (SQLITE_BUSY and its extended codes, SQLITE_LOCKED,
 * SQLITE_PROTOCOL) is retried, and I/O errors (a retry after a COMMIT of unknown outcome writes the
 * batch's rows again, so that its own COMMIT syncs them).
 * Every other failure is reported at once. Each retry waits an exponentially growing backoff
 * (doubling from {@code initialBackoff} up to {@code maxBackoff}), randomised by {@code jitter},
 * and no attempt starts after {@code deadline} has passed since the batch was first tried. An
 * attempt's own wait for the lock is cut to what is left of the deadline, so a busy failure is
 * reported within the deadline plus one statement.
 *
 * @param maxAttempts    attempts in all, including the first; at least 1
 * @param initialBackoff wait before the second attempt; positive and below {@code maxBackoff}
 * @param maxBackoff     longest wait between two attempts
 * @param jitter         fraction of each wait that is randomised, in {@code [0, 1)}
 * @param deadline       total time budget for one batch, from its first attempt; greater than
 *                       {@code initialBackoff}, at most a day
 */
public record Retry(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double jitter, Duration deadline) {

    /** Default attempts: enough that the {@link #DEFAULT_DEADLINE} is what ends retrying. */
    public static final int DEFAULT_MAX_ATTEMPTS = 1_000;
    /** Default first backoff: short, since a busy lock is usually released within milliseconds. */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(5);
    /** Default longest backoff: keeps a waiting writer polling at least once a quarter second. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMillis(250);
    /** Default jitter: half of each wait is random, so colliding writers spread out. */
    public static final double DEFAULT_JITTER = 0.5;
    /** Default deadline: a burst of thousands of processes drains well within a minute. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(60);

    /** Longest accepted deadline: one day. */
    public static final Duration MAX_DEADLINE = Duration.ofDays(1);

    /** Checks every invariant; messages read {@code <setting> must be <constraint>, was <value>}. */
    public Retry {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(deadline, "deadline");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("retry.maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (initialBackoff.isNegative() || initialBackoff.isZero()) {
            throw new IllegalArgumentException(
                    "retry.initialBackoff must be positive, was " + initialBackoff.toMillis() + "ms");
        }
        if (maxBackoff.compareTo(initialBackoff) <= 0) {
            throw new IllegalArgumentException("retry.maxBackoff must be greater than retry.initialBackoff ("
                    + initialBackoff.toMillis() + "ms), was " + maxBackoff.toMillis() + "ms");
        }
        if (!(jitter >= 0.0 && jitter < 1.0)) {
            throw new IllegalArgumentException("retry.jitter must be in [0, 1), was " + jitter);
        }
        if (deadline.isNegative() || deadline.isZero() || deadline.compareTo(MAX_DEADLINE) > 0) {
            throw new IllegalArgumentException("retry.deadline must be between 1ms and " + MAX_DEADLINE.toMillis()
                    + "ms, was " + deadline.toMillis() + "ms");
        }
        if (deadline.compareTo(initialBackoff) <= 0) {
            // A deadline that ends before the first retry could start leaves no room to retry at all.
            throw new IllegalArgumentException("retry.deadline must be greater than retry.initialBackoff ("
                    + initialBackoff.toMillis() + "ms), was " + deadline.toMillis() + "ms");
        }
    }

    /** The default policy: {@value #DEFAULT_MAX_ATTEMPTS} attempts, 5ms to 250ms backoff, jitter 0.5, 60s deadline. */
    public static Retry defaults() {
        return new Retry(DEFAULT_MAX_ATTEMPTS, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF, DEFAULT_JITTER,
                DEFAULT_DEADLINE);
    }

    /**
     * Exponential backoff from {@code initialBackoff} to {@code maxBackoff}, with the default
     * attempts, jitter and deadline.
     */
    public static Retry exponential(Duration initialBackoff, Duration maxBackoff) {
        return new Retry(DEFAULT_MAX_ATTEMPTS, initialBackoff, maxBackoff, DEFAULT_JITTER, DEFAULT_DEADLINE);
    }

    /** No retry: a busy database fails the batch after its first attempt (and the busy timeout). */
    public static Retry none() {
        return new Retry(1, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF, DEFAULT_JITTER, DEFAULT_DEADLINE);
    }

    /** A copy with another attempt limit. */
    public Retry withMaxAttempts(int value) {
        return new Retry(value, initialBackoff, maxBackoff, jitter, deadline);
    }

    /** A copy with another jitter fraction. */
    public Retry withJitter(double value) {
        return new Retry(maxAttempts, initialBackoff, maxBackoff, value, deadline);
    }

    /** A copy with another total deadline. */
    public Retry withDeadline(Duration value) {
        return new Retry(maxAttempts, initialBackoff, maxBackoff, jitter, value);
    }

    @Override
    public String toString() {
        return "Retry[maxAttempts=" + maxAttempts + ", initialBackoff=" + initialBackoff.toMillis() + "ms, maxBackoff="
                + maxBackoff.toMillis() + "ms, jitter=" + jitter + ", deadline=" + deadline.toMillis() + "ms]";
    }
}
