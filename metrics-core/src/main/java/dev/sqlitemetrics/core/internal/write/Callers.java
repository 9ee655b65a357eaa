package dev.sqlitemetrics.core.internal.write;

import dev.sqlitemetrics.core.MetricsException;
import dev.sqlitemetrics.core.RecorderListener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;

/**
 * Tells callers how their records ended: blocked callers are woken directly, futures of async
 * callers are completed on a shared pool, so that callbacks never run on (or block) the writer thread.
 */
final class Callers {
    private final FailureTranslator translator;
    private final RecorderListener listener;
    private final Consumer<Runnable> notify;

    /**
     * @param notify runs a listener call, shielding the writer from what it throws
     */
    Callers(FailureTranslator translator, RecorderListener listener, Consumer<Runnable> notify) {
        this.translator = translator;
        this.listener = listener;
        this.notify = notify;
    }

    /** Completes committed records, async ones in one hand-off per batch. */
    void acknowledge(List<PendingRecord> committed) {
        List<PendingRecord> async = null;
        for (PendingRecord record : committed) {
            if (record.async()) {
                if (async == null) {
                    async = new ArrayList<>();
                }
                async.add(record);
            } else {
                record.future().complete(record.id());
            }
        }
        if (async != null) {
            List<PendingRecord> handOff = async;
            ForkJoinPool.commonPool().execute(() -> handOff.forEach(record -> record.future().complete(record.id())));
        }
    }

    /** Fails every record with the public exception for {@code failure}, and tells the listener once. */
    void fail(List<PendingRecord> records, StoreFailure failure, int attempts, Duration elapsed) {
        MetricsException first = null;
        for (PendingRecord record : records) {
            RuntimeException exception = translator.translate(failure, record.id(), attempts, elapsed);
            if (first == null && exception instanceof MetricsException metrics) {
                first = metrics;
            }
            complete(record, null, exception);
        }
        if (first != null) {
            MetricsException reported = first;
            notify.accept(() -> listener.onBatchFailed(records.size(), reported));
        }
    }

    /** Fails one record with an exception made elsewhere (a closed recorder). */
    void fail(PendingRecord record, RuntimeException failure) {
        complete(record, null, failure);
    }

    private static void complete(PendingRecord record, UUID id, RuntimeException failure) {
        if (record.async()) {
            ForkJoinPool.commonPool().execute(() -> settle(record.future(), id, failure));
        } else {
            settle(record.future(), id, failure);
        }
    }

    private static void settle(CompletableFuture<UUID> future, UUID id, RuntimeException failure) {
        if (failure == null) {
            future.complete(id);
        } else {
            future.completeExceptionally(failure);
        }
    }
}
