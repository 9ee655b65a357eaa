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
        if (deadline.remaining().isZero()) {
            // Nothing is started past the deadline (a caller's own attempt may have used it all).
            throw StoreFailure.notWritten("the retry deadline of " + retry.deadline().toMillis() + "ms passed before"
                    + " the batch could be tried again", null, StoreFailure.Kind.BUSY, -1, false);
        }
        // Most batches succeed at once: the policy is made only once a first attempt failed in a way
        // worth trying again; it then makes the attempts that are left, after the first backoff.
        Duration backoff;
        try {
            attempt.run();
            return;
        } catch (StoreFailure failure) {
            backoff = firstBackoff();
            // A wait that would end past the deadline is not started.
            if (!failure.retryable() || retry.maxAttempts() == 1 || deadline.remaining().compareTo(backoff) <= 0) {
                throw failure;
            }
            onRetry.accept(failure, 1);
        }
        try {
            Thread.sleep(backoff.toMillis(), (int) (backoff.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Failsafe.with(policyWithin(deadline.remaining())).run(attempt::run);
    }

    /** The wait before the second attempt: the initial backoff, less up to its jitter. */
    private Duration firstBackoff() {
        double jitter = retry.jitter() > 0 ? (java.util.concurrent.ThreadLocalRandom.current().nextDouble() * 2 - 1)
                * retry.jitter() : 0;
        return Duration.ofNanos(Math.max(0, (long) (retry.initialBackoff().toNanos() * (1 + jitter))));
    }

    /**
     * A policy for what is left of the budget. Made per run, which costs a few allocations against
     * a commit's fsync; Failsafe insists that its total duration exceed the first backoff, so a budget
     * that small gets one attempt and no retry.
     */
    private RetryPolicy<Object> policyWithin(Duration remaining) {
        RetryPolicyBuilder<Object> builder = RetryPolicy.builder()
                .handleIf(failure -> failure instanceof StoreFailure storeFailure && storeFailure.retryable())
                .onRetry(event -> onRetry.accept((StoreFailure) event.getLastException(), event.getAttemptCount() + 1));
        if (retry.maxAttempts() <= 2 || remaining.compareTo(retry.initialBackoff()) <= 0) {
            return builder.withMaxAttempts(1).build();
        }
        builder.withMaxAttempts(retry.maxAttempts() - 1)
                .withBackoff(retry.initialBackoff(), retry.maxBackoff())
                .withMaxDuration(remaining);
        if (retry.jitter() > 0) {
            builder.withJitter(retry.jitter());
        }
        return builder.build();
    }
}
