package dev.sqlitemetrics.testkit;

import dev.sqlitemetrics.core.Completion;
import dev.sqlitemetrics.core.MetricsRecorder;
import dev.sqlitemetrics.core.Outcome;
import dev.sqlitemetrics.core.RecorderConfig;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

/**
 * A fake recorder over a real one that misbehaves on a known schedule of call numbers (from 0):
 * it throws for some calls, and acknowledges others without writing them.
 */
final class ScheduledFailureRecorder implements MetricsRecorder {
    private final MetricsRecorder real;
    private final IntPredicate throwsAt;
    private final IntPredicate losesAt;
    private final AtomicInteger calls = new AtomicInteger();

    ScheduledFailureRecorder(MetricsRecorder real, IntPredicate throwsAt, IntPredicate losesAt) {
        this.real = real;
        this.throwsAt = throwsAt;
        this.losesAt = losesAt;
    }

    @Override
    public UUID record(String msg) {
        return record(Completion.builder("fake", Outcome.SUCCEEDED).message(msg).build());
    }

    @Override
    public UUID record(Completion completion) {
        int call = calls.getAndIncrement();
        if (throwsAt.test(call)) {
            throw new IllegalStateException("scheduled failure of call " + call);
        }
        if (losesAt.test(call)) {
            return completion.id();
        }
        return real.record(completion);
    }

    @Override
    public CompletableFuture<UUID> recordAsync(String msg) {
        return CompletableFuture.completedFuture(record(msg));
    }

    @Override
    public CompletableFuture<UUID> recordAsync(Completion completion) {
        return CompletableFuture.completedFuture(record(completion));
    }

    @Override
    public long count() {
        return real.count();
    }

    @Override
    public RecorderConfig config() {
        return real.config();
    }

    @Override
    public void close() {
        real.close();
    }
}
