package dev.sqlitemetrics.core;

import dev.sqlitemetrics.core.internal.write.Failures;
import dev.sqlitemetrics.core.internal.write.Batch;
import dev.sqlitemetrics.core.internal.write.BatchStore;
import dev.sqlitemetrics.core.internal.write.CallbackExecutor;
import dev.sqlitemetrics.core.internal.write.Deadline;
import dev.sqlitemetrics.core.internal.write.FailureTranslator;
import dev.sqlitemetrics.core.internal.write.GroupCommitWriter;
import dev.sqlitemetrics.core.internal.write.PendingRecord;
import dev.sqlitemetrics.core.internal.write.StoreFailure;
import dev.sqlitemetrics.core.internal.write.StoreFailure.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The group-commit writer against a store that fails on a script: outcomes that must survive a
 * retry, deadlines that must not stretch, and defects that must not stop the writer. The store is a
 * fake because these orders of failures cannot be produced on demand with a real file.
 */
class WriterDefectsTest {
    private static final Duration DEADLINE = Duration.ofMillis(500);
    private static final SqliteConfig CONFIG = SqliteConfig.builder(Path.of("scripted.db"))
            .retry(Retry.defaults().withDeadline(DEADLINE)).build();

    /** A store whose every commit runs the next step of a script; the last step repeats. */
    private static final class ScriptedStore implements BatchStore {
        interface Step {
            void commit(Batch batch);
        }

        private final List<Step> script;
        private final AtomicInteger calls = new AtomicInteger();
        final List<Integer> batchSizes = new java.util.concurrent.CopyOnWriteArrayList<>();

        ScriptedStore(Step... script) {
            this.script = List.of(script);
        }

        @Override
        public void commit(Batch batch, Deadline deadline, boolean rewrite) {
            batchSizes.add(batch.records().size());
            script.get(Math.min(calls.getAndIncrement(), script.size() - 1)).commit(batch);
        }

        @Override
        public long count() {
            return 0;
        }

        @Override
        public void close() {
        }
    }

    @Test
    @Timeout(30)
    void aRefusedRecordAfterAnUnknownCommitIsReportedUnknownNotInvalid() throws Exception {
        ScriptedStore store = new ScriptedStore(
                batch -> {
                    throw new StoreFailure("COMMIT failed: disk I/O error", null, Kind.IO, 778, WriteOutcome.UNKNOWN, true);
                },
                batch -> {
                    throw StoreFailure.notWritten("CHECK constraint failed: a trigger refused a late joiner", null,
                            Kind.INVALID, 275, false);
                });
        try (GroupCommitWriter writer = writer(store, new Failures(CONFIG))) {
            PendingRecord record = record(false);
            writer.submit(record);
            Throwable failure = cause(record.future());
            // "Invalid input" would mean "not written"; the first attempt's rows may be committed.
            assertThat(failure).isExactlyInstanceOf(MetricsException.class).isNotInstanceOf(IllegalArgumentException.class);
            assertThat(((MetricsException) failure).outcome()).isEqualTo(WriteOutcome.UNKNOWN);
            assertThat(failure).hasMessageContaining("an earlier attempt's COMMIT had an unknown outcome");
        }
    }

    @Test
    @Timeout(30)
    void splittingABatchAroundAnInvalidRecordKeepsTheBatchsOneDeadline() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ScriptedStore store = new ScriptedStore(
                batch -> await(release),
                batch -> {
                    if (batch.records().size() > 1) {
                        throw StoreFailure.notWritten("CHECK constraint failed", null, Kind.INVALID, 275, false);
                    }
                    throw StoreFailure.notWritten("database is locked", null, Kind.BUSY, 5, true);
                });
        try (GroupCommitWriter writer = writer(store, new Failures(CONFIG))) {
            writer.submit(record(true));
            while (store.batchSizes.isEmpty()) {
                Thread.sleep(1);
            }
            List<PendingRecord> stuck = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                PendingRecord record = record(true);
                writer.submit(record);
                stuck.add(record);
            }
            long start = System.nanoTime();
            release.countDown();
            for (PendingRecord record : stuck) {
                assertThat(cause(record.future())).isInstanceOf(DatabaseBusyException.class);
            }
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            assertThat(store.batchSizes).contains(6);
            // Each record with a fresh deadline took six deadlines (3 s); together they share one.
            assertThat(waited).isLessThan(DEADLINE.plusSeconds(1));
        }
    }

    @Test
    @Timeout(30)
    void anErrorThrownByTheStoreFailsItsBatchAsUnknownAndTheWriterGoesOn() throws Exception {
        ScriptedStore store = new ScriptedStore(
                batch -> {
                    throw new OutOfMemoryError("injected: Java heap space");
                },
                batch -> {
                });
        try (GroupCommitWriter writer = writer(store, new Failures(CONFIG))) {
            PendingRecord first = record(false);
            writer.submit(first);
            Throwable failure = cause(first.future());
            assertThat(failure).isInstanceOf(MetricsException.class).hasMessageContaining("OutOfMemoryError");
            assertThat(((MetricsException) failure).outcome()).isEqualTo(WriteOutcome.UNKNOWN);
            PendingRecord next = record(false);
            writer.submit(next);
            assertThat(next.future().get(10, TimeUnit.SECONDS)).isEqualTo(next.id());
        }
    }

    @Test
    @Timeout(30)
    void whenBuildingTheCallersExceptionFailsTooTheyStillGetAnUnknownOutcome() throws Exception {
        Failures real = new Failures(CONFIG);
        AtomicInteger translations = new AtomicInteger();
        // The first translation is the failure the writer makes up front; every later one runs out of memory.
        FailureTranslator failing = (failure, id, attempts, elapsed) -> {
            if (translations.getAndIncrement() > 0) {
                throw new OutOfMemoryError("injected while building the exception");
            }
            return real.translate(failure, id, attempts, elapsed);
        };
        ScriptedStore store = new ScriptedStore(
                batch -> {
                    throw StoreFailure.notWritten("disk is full", null, Kind.FULL, 13, false);
                },
                batch -> {
                });
        try (GroupCommitWriter writer = writer(store, failing)) {
            PendingRecord first = record(true);
            writer.submit(first);
            Throwable failure = cause(first.future());
            assertThat(failure).isInstanceOf(MetricsException.class).hasMessageContaining("could not report");
            assertThat(((MetricsException) failure).outcome()).isEqualTo(WriteOutcome.UNKNOWN);
            PendingRecord next = record(true);
            writer.submit(next);
            assertThat(next.future().get(10, TimeUnit.SECONDS)).isEqualTo(next.id());
        }
    }

    @Test
    @Timeout(30)
    void recordsOfferedAfterCloseAreRefusedAndNothingWaitsForever() throws Exception {
        ScriptedStore store = new ScriptedStore(batch -> {
        });
        GroupCommitWriter writer = writer(store, new Failures(CONFIG));
        PendingRecord before = record(false);
        writer.submit(before);
        writer.close();
        assertThat(before.future().get(10, TimeUnit.SECONDS)).isEqualTo(before.id());
        assertThat(catchThrowable(() -> writer.submit(record(false)))).isInstanceOf(RecorderClosedException.class);
    }

    private static GroupCommitWriter writer(BatchStore store, FailureTranslator translator) {
        return new GroupCommitWriter(store, 1_000, 1_000, CONFIG.retry(), RecorderListener.NONE, translator,
                () -> new RecorderClosedException("closed", MetricsException.Failure.of(CONFIG.database(), WriteOutcome.NOT_WRITTEN)), "scripted-writer",
                CallbackExecutor.create("scripted-callbacks"));
    }

    private static PendingRecord record(boolean async) {
        return new PendingRecord(UUID.randomUUID(), System.currentTimeMillis(), "m", null, null, null, null,
                PendingRecord.THIS_PROCESS, new CompletableFuture<>(), async, System.nanoTime());
    }

    private static Throwable cause(CompletableFuture<UUID> future) throws Exception {
        try {
            future.get(20, TimeUnit.SECONDS);
            throw new AssertionError("expected the record to fail");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
