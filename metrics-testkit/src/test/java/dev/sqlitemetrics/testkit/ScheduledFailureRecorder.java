package dev.sqlitemetrics.testkit;

import dev.sqlitemetrics.core.Completion;
import dev.sqlitemetrics.core.MetricsRecorder;

import java.util.UUID;
import java.util.function.IntPredicate;

/**
 * A fake recorder over a real one that misbehaves on a known schedule of call numbers (from 0):
 * it throws for some calls, and acknowledges others without writing them.
 */
final class ScheduledFailureRecorder extends MisbehavingRecorders.Wrapper {
    private final IntPredicate throwsAt;
    private final IntPredicate losesAt;

    ScheduledFailureRecorder(MetricsRecorder real, IntPredicate throwsAt, IntPredicate losesAt) {
        super(real.config(), real);
        this.throwsAt = throwsAt;
        this.losesAt = losesAt;
    }

    @Override
    public UUID recordCompletion(Completion completion) {
        int call = calls.getAndIncrement();
        if (throwsAt.test(call)) {
            throw new IllegalStateException("scheduled failure of call " + call);
        }
        if (losesAt.test(call)) {
            return completion.id();
        }
        return real.recordCompletion(completion);
    }
}
