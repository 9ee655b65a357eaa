package dev.sqlitemetrics.testkit.internal.ledger;

import dev.sqlitemetrics.core.Completion;
import dev.sqlitemetrics.core.MetricsException;
import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.Outcome;
import dev.sqlitemetrics.core.RecordIds;
import dev.sqlitemetrics.testkit.internal.run.Attempt;
import dev.sqlitemetrics.testkit.internal.run.RecordContent;
import dev.sqlitemetrics.testkit.internal.run.ResultCodes;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * Writes records from many threads and logs every call to a ledger stream, each line flushed before
 * the next step, so a writer killed at any point leaves an exact account: {@code INV} before the
 * call, then {@code OK}, {@code FAIL} or {@code UNKNOWN}.
 */
public final class LedgerWriter {
    /** The task of every record a ledger writer makes. */
    static final String TASK = "ledger";
    private final MetricsRecorder recorder;
    private final PrintStream out;
    private final LongAccumulator slowestNanos = new LongAccumulator(Math::max, 0);

    public LedgerWriter(MetricsRecorder recorder, PrintStream out) {
        this.recorder = recorder;
        this.out = out;
    }

    /** Runs {@code threads} threads of {@code records} calls each and waits for them. */
    public void run(int threads, int records) throws InterruptedException {
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread worker = new Thread(() -> {
                for (int r = 0; r < records; r++) {
                    call(index, r, "ledger-" + ProcessHandle.current().pid() + "-" + index + "-" + r);
                }
            }, "ledger-writer-" + t);
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
    }

    /** The longest any call took to answer, OK or not. */
    public Duration slowest() {
        return Duration.ofNanos(slowestNanos.get());
    }

    /**
     * One logged call, the {@code record}-th of writer {@code writer}: a completion with a duration and
     * attributes that vary per call, recorded with {@code recordCompletion} and
     * {@code recordCompletionAsync} in turn (the forms whose id is known before the call, as a ledger
     * needs).
     */
    public void call(int writer, int record, String message) {
        Completion completion = Completion.builder(TASK, Outcome.SUCCEEDED).id(RecordIds.next()).message(message)
                .duration(Duration.ofNanos(1_000_000L * ((writer * 7919L + record * 104_729L) % 100_000) + 500_000L))
                .attribute(RecordContent.WRITER_KEY, "w" + writer).attribute(RecordContent.SEQUENCE_KEY,
                        Integer.toString(record)).build();
        String id = completion.id().toString();
        log(LedgerEntry.invoked(id, RecordContent.hash(message, TASK, Outcome.SUCCEEDED.name(),
                RecordContent.millis(completion.duration().toNanos() / 1e6), RecordContent.attributes(completion.attributes()))));
        long start = System.nanoTime();
        try {
            answer(completion, record % 2 == 1);
        } finally {
            slowestNanos.accumulate(System.nanoTime() - start);
        }
    }

    private void answer(Completion completion, boolean async) {
        String id = completion.id().toString();
        try {
            if (async) {
                recorder.recordCompletionAsync(completion).join();
            } else {
                recorder.recordCompletion(completion);
            }
            log(LedgerEntry.answered(LedgerEntry.Kind.OK, id, null));
        } catch (MetricsException e) {
            answered(id, e);
        } catch (CompletionException e) {
            if (e.getCause() instanceof MetricsException failure) {
                answered(id, failure);
            } else {
                // Not the library's own type (I9): its outcome cannot be known.
                log(LedgerEntry.answered(LedgerEntry.Kind.UNKNOWN, id, Attempt.FOREIGN
                        + (e.getCause() == null ? e : e.getCause()).getClass().getSimpleName()));
            }
        } catch (RuntimeException e) {
            // Not the library's own type (I9): its outcome cannot be known.
            log(LedgerEntry.answered(LedgerEntry.Kind.UNKNOWN, id, Attempt.FOREIGN + e.getClass().getSimpleName()));
        }
    }

    private void answered(String id, MetricsException e) {
        LedgerEntry.Kind kind = e.isDefinitelyNotWritten() ? LedgerEntry.Kind.FAIL : LedgerEntry.Kind.UNKNOWN;
        // A server's failures carry a SQLSTATE, SQLite's a result code.
        String code = e.sqlState() != null ? "SQLSTATE_" + e.sqlState() : ResultCodes.name(e.resultCode());
        log(LedgerEntry.answered(kind, id, code));
    }

    private void log(LedgerEntry entry) {
        synchronized (out) {
            out.println(entry.toLine());
            out.flush();
        }
    }
}
