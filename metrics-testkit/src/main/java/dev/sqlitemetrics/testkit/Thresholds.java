package dev.sqlitemetrics.testkit;

import java.time.Duration;

/**
 * What a level may show and still pass. A level that exceeds any of them violates the thresholds;
 * the lowest such writer count is the breaking point. Every limit is inclusive: a level at the limit
 * passes. Whatever the thresholds, a level with a lost, duplicated, altered or invented row, a row
 * present although reported not written, a change after {@code close()}, or a failed integrity check
 * never passes.
 *
 * @param maxFailures most failed calls allowed (not written and unknown together), at least 0
 * @param maxLost     most acknowledged-but-absent records allowed, at least 0
 * @param maxUnknown  most calls of unknown outcome allowed, at least 0: an unknown outcome proves nothing
 * @param maxP99      highest p99 latency of acknowledged calls allowed, or {@code null} for no limit
 * @param maxP999     highest p99.9 latency of acknowledged calls allowed, or {@code null} for no limit
 * @param maxLatency  longest any call may take, acknowledged or failed, or {@code null} for no limit
 */
public record Thresholds(long maxFailures, long maxLost, long maxUnknown, Duration maxP99, Duration maxP999,
                         Duration maxLatency) {

    /** Zero failures, zero lost, zero unknown, any latency: the promise of the library. */
    public static final Thresholds NOTHING_LOST = new Thresholds(0, 0, null);

    /** Checks the limits. */
    public Thresholds {
        if (maxFailures < 0) {
            throw new IllegalArgumentException("maxFailures must be at least 0, was " + maxFailures);
        }
        if (maxLost < 0) {
            throw new IllegalArgumentException("maxLost must be at least 0, was " + maxLost);
        }
        if (maxUnknown < 0) {
            throw new IllegalArgumentException("maxUnknown must be at least 0, was " + maxUnknown);
        }
        positiveOrNull(maxP99, "maxP99");
        positiveOrNull(maxP999, "maxP999");
        positiveOrNull(maxLatency, "maxLatency");
    }

    /** Failures, lost records and p99; no unknown outcome allowed, no further latency limit. */
    public Thresholds(long maxFailures, long maxLost, Duration maxP99) {
        this(maxFailures, maxLost, 0, maxP99, null, null);
    }

    /** A copy that allows {@code value} calls of unknown outcome. */
    public Thresholds withMaxUnknown(long value) {
        return new Thresholds(maxFailures, maxLost, value, maxP99, maxP999, maxLatency);
    }

    /** A copy with a p99 limit. */
    public Thresholds withMaxP99(Duration value) {
        return new Thresholds(maxFailures, maxLost, maxUnknown, value, maxP999, maxLatency);
    }

    /** A copy with a p99.9 limit. */
    public Thresholds withMaxP999(Duration value) {
        return new Thresholds(maxFailures, maxLost, maxUnknown, maxP99, value, maxLatency);
    }

    /** A copy with a limit on the slowest call. */
    public Thresholds withMaxLatency(Duration value) {
        return new Thresholds(maxFailures, maxLost, maxUnknown, maxP99, maxP999, value);
    }

    private static void positiveOrNull(Duration value, String name) {
        if (value != null && (value.isNegative() || value.isZero())) {
            throw new IllegalArgumentException(name + " must be positive, was " + value.toMillis() + "ms");
        }
    }
}
