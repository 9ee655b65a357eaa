package dev.sqlitemetrics.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * Another connection that holds the write lock ({@code BEGIN IMMEDIATE}) for {@code hold},
 * starting {@code at} after the writers were released.
 *
 * @param at   delay from the start barrier, not negative
 * @param hold how long the lock is held, positive
 */
public record LockHog(Duration at, Duration hold) {
    /** Checks the durations. */
    public LockHog {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(hold, "hold");
        if (at.isNegative()) {
            throw new IllegalArgumentException("lockHog.at must not be negative, was " + at.toMillis() + "ms");
        }
        if (hold.isNegative() || hold.isZero()) {
            throw new IllegalArgumentException("lockHog.hold must be positive, was " + hold.toMillis() + "ms");
        }
    }
}
