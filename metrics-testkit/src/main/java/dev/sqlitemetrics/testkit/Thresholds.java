package dev.sqlitemetrics.testkit;

import java.time.Duration;

/**
 * What a level may show and still pass. A level that exceeds any of them violates the thresholds;
 * the lowest such writer count is the breaking point.
 *
 * @param maxFailures most failed calls allowed, at least 0
 * @param maxLost     most acknowledged-but-absent records allowed, at least 0
 * @param maxP99      highest p99 latency allowed, or {@code null} for no limit
 */
public record Thresholds(long maxFailures, long maxLost, Duration maxP99) {

    /** Zero failures, zero lost, any latency: the promise of the library. */
    public static final Thresholds NOTHING_LOST = new Thresholds(0, 0, null);

    /** Checks the limits. */
    public Thresholds {
        if (maxFailures < 0) {
            throw new IllegalArgumentException("maxFailures must be at least 0, was " + maxFailures);
        }
        if (maxLost < 0) {
            throw new IllegalArgumentException("maxLost must be at least 0, was " + maxLost);
        }
        if (maxP99 != null && (maxP99.isNegative() || maxP99.isZero())) {
            throw new IllegalArgumentException("maxP99 must be positive, was " + maxP99.toMillis() + "ms");
        }
    }
}
