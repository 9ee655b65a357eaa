package dev.sqlitemetrics.core;

import java.time.Duration;

/**
 * Observes the recorder's write path: every retry, committed batch, failed batch and evicted
 * connection. The seam for health metrics (retries, busy waits, batch sizes, latencies).
 *
 * <p>Passed to {@link MetricsRecorder#open(SqliteConfig, RecorderListener)}, never stored in the
 * config. Methods are called on the recorder's writer thread: keep them quick and non-blocking, since
 * every record waits while they run. Whatever a method throws, {@link Error}s included, is logged and
 * otherwise ignored; it never stops the recorder.
 *
 * <p>Calling back into the recorder from a listener method:
 * <ul>
 *   <li>{@link MetricsRecorder#close()} asks the recorder to stop once the current batch is reported,
 *       and returns at once (it cannot wait for the thread it runs on); records accepted before are
 *       still committed.</li>
 *   <li>{@link MetricsRecorder#record(String)} and {@link MetricsRecorder#recordCompletion(Completion)} would wait
 *       for the writer, that is for themselves: they throw {@link IllegalStateException} at once.</li>
 *   <li>{@code recordAsync} is accepted while the queue has room, and throws
 *       {@link IllegalStateException} when it is full rather than wait.</li>
 * </ul>
 */
public interface RecorderListener {

    /** A listener that ignores every event. */
    RecorderListener NONE = new RecorderListener() {
    };

    /**
     * A batch failed with a retryable result and will be tried again.
     *
     * @param attempt    the attempt that failed, from 1
     * @param resultCode its extended SQLite result code
     */
    default void onRetry(int attempt, int resultCode) {
    }

    /**
     * A batch committed.
     *
     * @param records  records in the batch
     * @param attempts attempts it took, from 1
     * @param elapsed  time from its first attempt to the end of COMMIT
     */
    default void onBatchCommitted(int records, int attempts, Duration elapsed) {
    }

    /**
     * A batch failed for good; each of its callers receives an exception like {@code failure}.
     *
     * @param records records in the batch
     * @param failure the failure, as the first caller sees it
     */
    default void onBatchFailed(int records, MetricsException failure) {
    }

    /**
     * A pooled connection was closed because of an error that may have left it unusable.
     *
     * @param resultCode the extended SQLite result code that caused it
     */
    default void onConnectionEvicted(int resultCode) {
    }

    /**
     * The recorder opened, just before {@code open()} returns it, on the opening thread: where a
     * listener that reports the recorder's {@link MetricsRecorder#stats()} learns of it.
     */
    default void onOpened(MetricsRecorder recorder) {
    }

    /** The recorder closed: its writer stopped and its connections are released. The last call. */
    default void onClosed() {
    }

    /**
     * A listener that tells each of {@code listeners} of every event, in order; what one throws does
     * not keep the next from hearing of it.
     */
    static RecorderListener all(RecorderListener... listeners) {
        java.util.List<RecorderListener> each = java.util.Arrays.stream(listeners)
                .map(dev.sqlitemetrics.core.internal.Stores::guard).toList();
        return new RecorderListener() {
            @Override
            public void onRetry(int attempt, int resultCode) {
                each.forEach(listener -> listener.onRetry(attempt, resultCode));
            }

            @Override
            public void onBatchCommitted(int records, int attempts, Duration elapsed) {
                each.forEach(listener -> listener.onBatchCommitted(records, attempts, elapsed));
            }

            @Override
            public void onBatchFailed(int records, MetricsException failure) {
                each.forEach(listener -> listener.onBatchFailed(records, failure));
            }

            @Override
            public void onConnectionEvicted(int resultCode) {
                each.forEach(listener -> listener.onConnectionEvicted(resultCode));
            }

            @Override
            public void onOpened(MetricsRecorder recorder) {
                each.forEach(listener -> listener.onOpened(recorder));
            }

            @Override
            public void onClosed() {
                each.forEach(RecorderListener::onClosed);
            }
        };
    }
}
