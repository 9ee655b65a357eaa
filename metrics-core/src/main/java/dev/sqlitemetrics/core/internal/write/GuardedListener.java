package dev.sqlitemetrics.core.internal.write;

import dev.sqlitemetrics.core.MetricsException;
import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.RecorderListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * A user's listener behind a shield: whatever a method throws, {@link Error}s included, is logged and
 * goes no further, so a listener can never kill the writer thread or leave a transaction open.
 * Every part of the write path talks to the listener through this. Internal: not part of the API.
 */
public final class GuardedListener implements RecorderListener {
    private static final Logger LOG = LoggerFactory.getLogger(GuardedListener.class);

    private final RecorderListener delegate;

    private GuardedListener(RecorderListener delegate) {
        this.delegate = delegate;
    }

    /** {@code listener} behind the shield; a listener already shielded is returned as it is. */
    public static RecorderListener guard(RecorderListener listener) {
        return listener instanceof GuardedListener ? listener : new GuardedListener(listener);
    }

    @Override
    public void onRetry(int attempt, int resultCode) {
        shielded(() -> delegate.onRetry(attempt, resultCode), "onRetry");
    }

    @Override
    public void onBatchCommitted(int records, int attempts, Duration elapsed) {
        shielded(() -> delegate.onBatchCommitted(records, attempts, elapsed), "onBatchCommitted");
    }

    @Override
    public void onBatchFailed(int records, MetricsException failure) {
        shielded(() -> delegate.onBatchFailed(records, failure), "onBatchFailed");
    }

    @Override
    public void onConnectionEvicted(int resultCode) {
        shielded(() -> delegate.onConnectionEvicted(resultCode), "onConnectionEvicted");
    }

    @Override
    public void onOpened(MetricsRecorder recorder) {
        shielded(() -> delegate.onOpened(recorder), "onOpened");
    }

    @Override
    public void onClosed() {
        shielded(delegate::onClosed, "onClosed");
    }

    /**
     * Runs {@code call}, a user's listener method, logging and swallowing whatever it throws; the one
     * shield of every listener (the recorder's and the forwarder's).
     *
     * @param method what is called, for the log line
     */
    public static void shielded(Runnable call, String method) {
        try {
            call.run();
        } catch (Throwable e) {
            // Errors too: an AssertionError or a StackOverflowError in user code says nothing about the
            // recorder's own state, and the records waiting behind this call must still be written.
            try {
                LOG.warn("sqlite-metrics listener threw from {}; ignoring", method, e);
            } catch (Throwable logging) {
                // Nothing left to report with; the writer must go on.
            }
        }
    }
}
