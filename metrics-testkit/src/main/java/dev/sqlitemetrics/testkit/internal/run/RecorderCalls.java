package dev.sqlitemetrics.testkit.internal.run;

import dev.sqlitemetrics.core.Completion;
import dev.sqlitemetrics.core.MetricsException;
import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.Outcome;
import dev.sqlitemetrics.core.RecordIds;
import dev.sqlitemetrics.testkit.Calls;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The recorder under test, called the way the scenario says: one recorder per JVM, shared by its
 * writer threads, as the library is meant to be used. Each call's form ({@link Calls}) decides what
 * is asked and how the answer is read: a plain {@code record(msg)} by the id it returns (or that its
 * exception names), a completion by the id it carries, an async call as answered when its future
 * completes. Completions vary per record: outcome, a duration with a fraction of a millisecond, and
 * one or two attributes, so that a recorder that drops or changes a field is seen. Internal.
 */
final class RecorderCalls extends AttemptWriter {
    /** The task of every completion the recorder writer makes. */
    static final String TASK = "contention";
    private static final Outcome[] OUTCOMES = {Outcome.SUCCEEDED, Outcome.FAILED, Outcome.SUCCEEDED, Outcome.SKIPPED};

    private final MetricsRecorder recorder;
    private final Calls calls;

    RecorderCalls(MetricsRecorder recorder, Calls calls) {
        this.recorder = recorder;
        this.calls = calls;
    }

    @Override
    public Attempt write(int writer, int record, String msg) {
        Calls form = calls.formFor(writer, record);
        Completion completion = form.structured() ? completion(writer, record, msg) : null;
        String content = completion == null ? RecordContent.hash(msg, null, null)
                : RecordContent.hash(msg, TASK, completion.outcome().name(),
                RecordContent.millis(completion.duration().toNanos() / 1e6), RecordContent.attributes(completion.attributes()));
        Call call = new Call(completion == null ? Attempt.UNKNOWN_ID : completion.id().toString(), content);
        try {
            if (form.async()) {
                CompletableFuture<UUID> future = completion == null ? recorder.recordAsync(msg)
                        : recorder.recordCompletionAsync(completion);
                // Answered when the future completes: the stage after it notes that moment and the outcome.
                future.handle((id, failure) -> {
                    call.answered(id, failure instanceof CompletionException wrapped ? wrapped.getCause() : failure);
                    return null;
                }).join();
            } else {
                call.answered(completion == null ? recorder.record(msg) : recorder.recordCompletion(completion), null);
            }
        } catch (RuntimeException e) {
            call.answered(null, e);
        }
        return call.attempt();
    }

    /** One call: what it asked, when, and how it was answered. */
    private static final class Call {
        private final long startMillis = System.currentTimeMillis();
        private final long start = System.nanoTime();
        private final String content;
        private String id;
        private Attempt.Status status = Attempt.Status.OK;
        private String code;
        private long end;
        private long endMillis;

        Call(String id, String content) {
            this.id = id;
            this.content = content;
        }

        void answered(UUID returned, Throwable failure) {
            end = System.nanoTime();
            endMillis = System.currentTimeMillis();
            if (failure == null) {
                // A plain record's id is the one it returns; a completion's is the one it carries.
                id = id.equals(Attempt.UNKNOWN_ID) && returned != null ? returned.toString() : id;
            } else if (failure instanceof MetricsException e) {
                status = e.isDefinitelyNotWritten() ? Attempt.Status.NOT_WRITTEN : Attempt.Status.UNKNOWN;
                code = ResultCodes.name(e.resultCode());
                if (id.equals(Attempt.UNKNOWN_ID) && e.recordId() != null) {
                    id = e.recordId().toString();
                }
            } else {
                // Whatever else the recorder under test throws is a finding about it (not the library's
                // type: its outcome cannot be known), never a harness failure.
                status = Attempt.Status.UNKNOWN;
                code = Attempt.FOREIGN + failure.getClass().getSimpleName();
            }
        }

        Attempt attempt() {
            return new Attempt(id, status, code, end - start, end, content, startMillis, endMillis);
        }
    }

    /** The completion of a writer's record: its fields vary with the writer and the record. */
    private static Completion completion(int writer, int record, String msg) {
        Completion.Builder builder = Completion.builder(TASK, OUTCOMES[Math.floorMod(writer + record, OUTCOMES.length)])
                .id(RecordIds.next()).message(msg)
                // Whole milliseconds and a fraction, up to about 17 minutes.
                .duration(Duration.ofNanos(1_000_000L * ((writer * 7919L + record * 104_729L) % 1_000_000) + 250_000L))
                .attribute(RecordContent.WRITER_KEY, "w" + writer);
        if (record % 2 == 1) {
            builder.attribute(RecordContent.SEQUENCE_KEY, Integer.toString(record));
        }
        return builder.build();
    }

    @Override
    public void close() {
        recorder.close();
    }
}
