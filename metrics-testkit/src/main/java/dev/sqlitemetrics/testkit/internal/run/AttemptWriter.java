package dev.sqlitemetrics.testkit.internal.run;

import dev.sqlitemetrics.core.Completion;
import dev.sqlitemetrics.core.MetricsException;
import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.Outcome;
import dev.sqlitemetrics.core.RecordIds;
import dev.sqlitemetrics.core.StoreConfig;
import dev.sqlitemetrics.testkit.WriterKind;

import java.time.Duration;
import java.util.UUID;
import java.util.function.Function;

/**
 * Makes one write and reports it as an {@link Attempt}; failures of the writer under test are data,
 * never exceptions. Thread-safe. Internal: not part of the API.
 */
public abstract class AttemptWriter implements AutoCloseable {
    /** The task of every record the recorder writer makes. */
    static final String TASK = "contention";

    /** Writes one record with {@code msg}. */
    public abstract Attempt write(String msg);

    @Override
    public abstract void close();

    /** The writer of {@code kind} on {@code target}; recorders are opened by {@code opener}. */
    public static AttemptWriter of(WriterKind kind, Target target, Duration naiveBusyTimeout,
                                   Function<StoreConfig, MetricsRecorder> opener) {
        return switch (kind) {
            case RECORDER -> new Recording(opener.apply(target.config()));
            case NAIVE -> target.naive(naiveBusyTimeout);
            case LOCKED_CONNECTION -> target.lockedConnection();
        };
    }


    /** The recorder: one per JVM, shared by its writer threads, as the library is meant to be used. */
    private static final class Recording extends AttemptWriter {
        private final MetricsRecorder recorder;

        Recording(MetricsRecorder recorder) {
            this.recorder = recorder;
        }

        /** Records with an id of its own, so that every outcome, even an unexpected exception, names its record. */
        @Override
        public Attempt write(String msg) {
            UUID id = RecordIds.next();
            Completion completion = Completion.builder(TASK, Outcome.SUCCEEDED).id(id).message(msg).build();
            String content = RecordContent.hash(msg, TASK, Outcome.SUCCEEDED.name());
            long start = System.nanoTime();
            Attempt.Status status;
            String code;
            try {
                recorder.recordCompletion(completion);
                status = Attempt.Status.OK;
                code = null;
            } catch (MetricsException e) {
                status = e.isDefinitelyNotWritten() ? Attempt.Status.NOT_WRITTEN : Attempt.Status.UNKNOWN;
                code = ResultCodes.name(e.resultCode());
            } catch (RuntimeException e) {
                // Whatever else the recorder under test throws is a finding about it (not the library's
                // type: its outcome cannot be known), never a harness failure.
                status = Attempt.Status.UNKNOWN;
                code = Attempt.FOREIGN + e.getClass().getSimpleName();
            }
            long end = System.nanoTime();
            return new Attempt(id.toString(), status, code, end - start, end, content);
        }

        @Override
        public void close() {
            recorder.close();
        }
    }
}
