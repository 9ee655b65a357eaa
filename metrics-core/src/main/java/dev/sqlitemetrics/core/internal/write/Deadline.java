package dev.sqlitemetrics.core.internal.write;

import java.time.Duration;

/** A point on the {@link System#nanoTime()} clock by which a batch must be done. Internal. */
public record Deadline(long nanos) {

    /** The deadline {@code budget} from now. */
    public static Deadline after(Duration budget) {
        return new Deadline(System.nanoTime() + budget.toNanos());
    }

    /** Time left, never negative. */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, nanos - System.nanoTime()));
    }
}
