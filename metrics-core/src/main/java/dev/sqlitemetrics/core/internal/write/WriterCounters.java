package dev.sqlitemetrics.core.internal.write;

import dev.sqlitemetrics.core.MetricsException;
import dev.sqlitemetrics.core.WriteOutcome;

import java.util.concurrent.atomic.LongAdder;

/** What a writer counts for {@code MetricsRecorder.stats()}: cheap to update, read without locking. Internal. */
final class WriterCounters {
    final LongAdder committed = new LongAdder();
    final LongAdder failedNotWritten = new LongAdder();
    final LongAdder failedUnknown = new LongAdder();
    final LongAdder retries = new LongAdder();
    final LongAdder batches = new LongAdder();
    volatile long lastCommitNanos;
    volatile int inFlight;

    void failed(Throwable failure) {
        boolean notWritten = failure instanceof MetricsException metrics && metrics.outcome() == WriteOutcome.NOT_WRITTEN;
        (notWritten ? failedNotWritten : failedUnknown).increment();
    }
}
