package dev.sqlitemetrics.core.internal.write;

import dev.sqlitemetrics.core.MetricsException;
import dev.sqlitemetrics.core.RecorderListener;
import dev.sqlitemetrics.core.WriteOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Tells callers how their records ended. Blocked callers are woken directly; futures of async
 * callers are completed on the recorder's own callback executor, so that their callbacks never run
 * on (or block) the writer thread, and never wait for a pool that user code can fill.
 *
 * <p>Never leaves a caller waiting: when the callback executor refuses a task, the writer completes
 * the futures itself; when building a record's exception fails (out of memory), the caller gets an
 * exception made at start-up that says the outcome is unknown.
 */
final class Callers {
    private static final Logger LOG = LoggerFactory.getLogger(Callers.class);

    private final FailureTranslator translator;
    private final RecorderListener listener;
    private final Executor callbacks;
    private final WriterCounters counters;
    /** Made up front, so that reporting a failure never depends on allocating one. */
    private final RuntimeException unreportable;

    /**
     * @param listener  a {@link GuardedListener}: what it throws never reaches here
     * @param callbacks where futures of async callers are completed
     */
    Callers(FailureTranslator translator, RecorderListener listener, Executor callbacks, WriterCounters counters) {
        this.counters = counters;
        this.translator = translator;
        this.listener = listener;
        this.callbacks = callbacks;
        this.unreportable = translator.translate(new StoreFailure(
                "the recorder could not report how this record ended (the writer failed while reporting it)", null,
                StoreFailure.Kind.OTHER, -1, WriteOutcome.UNKNOWN, false), null, 0, Duration.ZERO);
    }

    /**
     * Completes committed records, async ones in one hand-off per batch. A record the deadline watchdog
     * answered already keeps that answer, and is not counted twice.
     */
    void acknowledge(List<PendingRecord> committed) {
        List<PendingRecord> async = null;
        for (PendingRecord record : committed) {
            if (record.async()) {
                if (async == null) {
                    async = new ArrayList<>();
                }
                async.add(record);
            } else if (record.future().complete(record.id())) {
                counters.committed.increment();
            }
        }
        if (async != null) {
            List<PendingRecord> handOff = async;
            handOff(() -> handOff.forEach(record -> {
                if (record.future().complete(record.id())) {
                    counters.committed.increment();
                }
            }));
        }
    }

    /** Fails every record with the public exception for {@code failure}, and tells the listener once. */
    void fail(List<PendingRecord> records, StoreFailure failure, int attempts, Duration elapsed) {
        MetricsException first = null;
        for (PendingRecord record : records) {
            RuntimeException exception = translate(failure, record, attempts, elapsed);
            if (first == null && exception instanceof MetricsException metrics) {
                first = metrics;
            }
            fail(record, exception);
        }
        if (first != null) {
            listener.onBatchFailed(records.size(), first);
        }
    }

    /** Fails one record with an exception made elsewhere (a closed recorder, the deadline watchdog). */
    void fail(PendingRecord record, RuntimeException failure) {
        if (record.async()) {
            handOff(() -> {
                if (record.future().completeExceptionally(failure)) {
                    counters.failed(failure);
                }
            });
        } else if (record.future().completeExceptionally(failure)) {
            counters.failed(failure);
        }
    }

    /**
     * The last resort when reporting itself failed: completes every record not completed yet, on
     * this thread, with the exception made up front. Never throws.
     */
    void abandon(Collection<PendingRecord> records) {
        for (PendingRecord record : records) {
            try {
                counters.failedUnknown.increment();
                record.future().completeExceptionally(unreportable);
            } catch (Throwable e) {
                // A dependent stage of the caller's failed; the future itself is completed.
            }
        }
    }

    private RuntimeException translate(StoreFailure failure, PendingRecord record, int attempts, Duration elapsed) {
        try {
            return translator.translate(failure, record.id(), attempts, elapsed);
        } catch (Throwable e) {
            return unreportable;
        }
    }

    private void handOff(Runnable completion) {
        try {
            callbacks.execute(completion);
        } catch (Throwable refused) {
            // A callback pool that is shut down, full or out of threads must not strand the callers:
            // complete them here, at the price of running their callbacks on the writer thread.
            try {
                LOG.warn("sqlite-metrics callback executor refused a completion; completing on the writer thread", refused);
            } catch (Throwable logging) {
                // Completing the callers matters more than the log line.
            }
            completion.run();
        }
    }
}
