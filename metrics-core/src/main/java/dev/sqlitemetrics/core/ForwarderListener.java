package dev.sqlitemetrics.core;

import java.time.Duration;

/**
 * Observes a {@link MetricsForwarder}: shipped batches, failed tries, the lag after each pass and
 * deleted rows. The seam for its health metrics. Methods run on the forwarder's thread: keep them
 * quick. Whatever a method throws, {@link Error}s included, is logged and otherwise ignored.
 */
public interface ForwarderListener {

    /** A listener that ignores every event. */
    ForwarderListener NONE = new ForwarderListener() {
    };

    /**
     * A batch is on the server and marked shipped in the local file.
     *
     * @param rows         rows in it
     * @param alreadyThere of those, rows the server held already
     * @param elapsed      from reading it to moving the mark
     */
    default void onShipped(int rows, int alreadyThere, Duration elapsed) {
    }

    /**
     * A pass failed (the server down or slow, the file busy) and is tried again after {@code wait}.
     * Nothing is lost: the next pass starts after the last batch shipped.
     *
     * @param attempt failed tries in a row, from 1
     */
    default void onRetry(int attempt, MetricsException failure, Duration wait) {
    }

    /** A pass ended, or a running forwarder finished shipping at its close: what is left to ship now. */
    default void onLag(ForwardingLag lag) {
    }

    /** Shipped rows older than {@link ForwarderConfig#deleteShippedAfter()} were deleted locally. */
    default void onDeleted(long rows) {
    }
}
