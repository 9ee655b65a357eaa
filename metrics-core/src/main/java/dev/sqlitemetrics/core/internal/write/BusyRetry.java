package dev.sqlitemetrics.core.internal.write;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import dev.sqlitemetrics.core.Retry;

import java.time.Duration;
import java.util.function.ObjIntConsumer;

/**
 * Maps our {@link Retry} settings onto a Failsafe {@link RetryPolicy}; the only class that knows
 * Failsafe. Only failures the store marked retryable (the busy family, I/O errors resolved as not
 * written) are retried; everything else is rethrown at once. Internal: not part of the API.
 */
public final class BusyRetry {
    private final Retry retry;
    private final ObjIntConsumer<StoreFailure> onRetry;

    /**
     * @param retry   the settings
     * @param onRetry told of each failed attempt that will be retried: (failure, attempt number)
     */
    public BusyRetry(Retry retry, ObjIntConsumer<StoreFailure> onRetry) {
        this.retry = retry;
        this.onRetry = onRetry;
    }

    /**
     * Runs {@code attempt} until it succeeds, fails for good, or the attempts run out or
     * {@code deadline} passes. The deadline is the caller's, not a fresh one per call: work that is
     * split into several runs (a batch committed record by record) shares one budget.
     */
    public void run(Deadline deadline, Runnable attempt) {
        Failsafe.with(policyWithin(deadline.remaining())).run(attempt::run);
    }

    /**
     * A policy for what is left of the budget. Made per run, which costs a few allocations against
     * a commit's fsync; Failsafe insists that its total duration exceed the first backoff, so a budget
     * that small gets one attempt and no retry.
     */
    private RetryPolicy<Object> policyWithin(Duration remaining) {
        RetryPolicyBuilder<Object> builder = RetryPolicy.builder()
                .handleIf(failure -> failure instanceof StoreFailure storeFailure && storeFailure.retryable())
                .onRetry(event -> onRetry.accept((StoreFailure) event.getLastException(), event.getAttemptCount()));
        if (retry.maxAttempts() == 1 || remaining.compareTo(retry.initialBackoff()) <= 0) {
            return builder.withMaxAttempts(1).build();
        }
        builder.withMaxAttempts(retry.maxAttempts())
                .withBackoff(retry.initialBackoff(), retry.maxBackoff())
                .withMaxDuration(remaining);
        if (retry.jitter() > 0) {
            builder.withJitter(retry.jitter());
        }
        return builder.build();
    }
}
