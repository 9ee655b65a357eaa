package dev.sqlitemetrics.testkit.internal.run;

import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.StoreConfig;
import dev.sqlitemetrics.testkit.Calls;
import dev.sqlitemetrics.testkit.WriterKind;

import java.time.Duration;
import java.util.function.Function;

/**
 * Makes one write and reports it as an {@link Attempt}; failures of the writer under test are data,
 * never exceptions. Thread-safe. Internal: not part of the API.
 */
public abstract class AttemptWriter implements AutoCloseable {
    /**
     * Writes one record with {@code msg}, the {@code record}-th of the writer numbered {@code writer}
     * (which decides the call's form and the completion's duration and attributes).
     */
    public abstract Attempt write(int writer, int record, String msg);

    @Override
    public abstract void close();

    /** The writer of {@code kind} on {@code target}; recorders are opened by {@code opener} and called as {@code calls} says. */
    public static AttemptWriter of(WriterKind kind, Target target, Duration naiveBusyTimeout, Calls calls,
                                   Function<StoreConfig, MetricsRecorder> opener) {
        return switch (kind) {
            case RECORDER -> new RecorderCalls(opener.apply(target.config()), calls);
            case NAIVE -> target.naive(naiveBusyTimeout);
            case LOCKED_CONNECTION -> target.lockedConnection();
        };
    }
}
