package dev.sqlitemetrics.core.internal.write;

import java.time.Duration;

/** A point on the {@link System#nanoTime()} clock by which a batch must be done. Internal. */
public record Deadline(long nanos) {

    /** The deadline {@code budget} from now. */
    public static Deadline after(Duration budget) {
        // Saturating: a budget beyond a year is as good as none, and would overflow the nanosecond clock.
        Duration bounded = budget.compareTo(Duration.ofDays(365)) > 0 ? Duration.ofDays(365) : budget;
        return new Deadline(System.nanoTime() + bounded.toNanos());
    }

    /** Time left, never negative. */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, nanos - System.nanoTime()));
    }
}
