package dev.sqlitemetrics.core;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * How far a forwarded file's server is behind: the rows recorded locally that it does not hold yet,
 * and how old the first of them is.
 *
 * @param target          the server and table shipped to (no password)
 * @param source          the local file's identity, as the central table's {@code source} column holds it
 * @param unshippedRows   rows recorded but not yet on the server
 * @param oldestUnshipped when the first of them was recorded, or {@code null} when none is left
 * @param shippedRows     rows shipped so far
 * @param lastShipped     when rows were last shipped, or {@code null} if never
 */
public record ForwardingLag(String target, UUID source, long unshippedRows, Instant oldestUnshipped, long shippedRows,
                            Instant lastShipped) {

    /** Whether the server holds every row recorded so far. */
    public boolean caughtUp() {
        return unshippedRows == 0;
    }

    /** How long the oldest unshipped row has waited, as of {@code now}; zero when caught up. */
    public Duration age(Instant now) {
        if (oldestUnshipped == null || now.isBefore(oldestUnshipped)) {
            return Duration.ZERO;
        }
        return Duration.between(oldestUnshipped, now);
    }
}
